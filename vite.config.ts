// Builds the renderer (renderer/ → renderer/dist): a static bundle served to the Electron window
// over app:// (or, in evaluation mode, over loopback). Kept outside renderer/, which holds only
// code that runs in the sandboxed page.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    target: 'chrome120',
  },
});
