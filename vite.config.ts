// Builds the renderer (renderer/ → renderer/dist): a static bundle served to the Electron window
// over app:// (or, in evaluation mode, over loopback). Kept outside renderer/, which holds only
// code that runs in the sandboxed page.
// Chunks: a tiny entry (main.tsx: reach the host, ask session:state); the app chunk (boot.tsx:
// React, the lock and sign-in screens), preloaded by index.html; the loopback bridge as its own
// module script (never loaded in Electron); the signed-in frame and each screen fetched later.
// No vendor chunks: after a purge reload every file is a request that waits on the host, so React
// stays in the app chunk (one request, not two); rollup's own split keeps recharts, React Aria and
// @tanstack/react-virtual in the chunks of the screens that use them.
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const rendererFile = (path: string): string => fileURLToPath(new URL(`./renderer/${path}`, import.meta.url));

const BRIDGE_URL_MODULE = 'virtual:wardline-bridge-url';
const RESOLVED_BRIDGE_URL_MODULE = `\0${BRIDGE_URL_MODULE}`;

/**
 * Builds renderer/src/bridge/bridge-entry.ts as a module script of its own and gives its address
 * to the entry (`import url from 'virtual:wardline-bridge-url'`), which adds it as a <script> only
 * on a loopback page: a script element holds the page's load event until window.wardline exists.
 */
function loopbackBridgeScript(): Plugin {
  const entry = rendererFile('src/bridge/bridge-entry.ts');
  let serving = false;
  let reference = '';
  return {
    name: 'wardline:loopback-bridge-script',
    configResolved(config) {
      serving = config.command === 'serve';
    },
    buildStart() {
      if (!serving) reference = this.emitFile({ type: 'chunk', id: entry, name: 'loopback-bridge' });
    },
    resolveId(id) {
      return id === BRIDGE_URL_MODULE ? RESOLVED_BRIDGE_URL_MODULE : null;
    },
    load(id) {
      if (id !== RESOLVED_BRIDGE_URL_MODULE) return null;
      return serving
        ? `export default ${JSON.stringify('/src/bridge/bridge-entry.ts')};`
        : `export default import.meta.ROLLUP_FILE_URL_${reference};`;
    },
  };
}

/**
 * Adds <link rel="modulepreload"> for the app chunk (boot.tsx) and the chunks it imports, so they
 * load alongside the entry instead of after it.
 */
function preloadAppChunk(): Plugin {
  const boot = rendererFile('src/boot.tsx');
  return {
    name: 'wardline:preload-app-chunk',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        const bundle = context.bundle;
        if (bundle === undefined) return [];
        const chunks = new Map(Object.values(bundle).flatMap((item) => (item.type === 'chunk' ? [[item.fileName, item] as const] : [])));
        const start = [...chunks.values()].find((chunk) => chunk.moduleIds.includes(boot));
        if (start === undefined) throw new Error('wardline:preload-app-chunk: no chunk holds src/boot.tsx');
        const files = new Set<string>();
        const visit = (fileName: string): void => {
          if (files.has(fileName)) return;
          files.add(fileName);
          for (const imported of chunks.get(fileName)?.imports ?? []) visit(imported);
        };
        visit(start.fileName);
        // The entry and what vite already preloads for it are in the page.
        return [...files]
          .filter((file) => !html.includes(`/${file}"`))
          .map((file) => ({
            tag: 'link',
            attrs: { rel: 'modulepreload', crossorigin: true, href: `./${file}` },
            injectTo: 'head' as const,
          }));
      },
    },
  };
}

export default defineConfig({
  root: rendererFile(''),
  base: './',
  plugins: [react(), loopbackBridgeScript(), preloadAppChunk()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    target: 'chrome120',
    // Chromium has <link rel="modulepreload">: no polyfill in the entry.
    modulePreload: { polyfill: false },
  },
});
