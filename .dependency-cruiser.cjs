// The layering of docs/DESIGN.md, checked on every `npm test`.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'shared-is-self-contained',
      comment: 'shared/ imports no other folder of the app.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(electron|renderer|server)/' },
    },
    {
      name: 'shared-is-runtime-neutral',
      comment: 'shared/ imports nothing Node-specific (it runs in the sandboxed renderer too).',
      severity: 'error',
      from: { path: '^shared/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-only-shared',
      comment: 'The renderer talks to the host only through window.wardline and the shared contract.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^(electron|server)/' },
    },
    {
      name: 'renderer-no-node',
      comment: 'The renderer is sandboxed: never Node.',
      severity: 'error',
      from: { path: '^renderer/src/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'server-only-shared',
      comment: 'The hub imports only shared/.',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^(electron|renderer)/' },
    },
    {
      name: 'host-does-not-import-hub-or-ui',
      severity: 'error',
      from: { path: '^electron/' },
      to: { path: '^(renderer|server)/' },
    },
    {
      name: 'electron-only-in-the-shell-glue',
      comment:
        'Only electron/main.ts, electron/preload.ts and electron/window/ may import the electron package, or electron-updater (which drives Electron).',
      severity: 'error',
      from: { pathNot: '^electron/(main\\.ts|preload\\.ts|window/)' },
      to: { path: '^node_modules/electron(-updater)?/' },
    },
    {
      name: 'rooms-through-their-index',
      comment: 'A room of electron/ is entered through its index.ts.',
      severity: 'error',
      from: { path: '^electron/([^/]+)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^electron/[^/]+/.+', pathNot: ['^electron/$1/', '^electron/[^/]+/index\\.ts$'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // node_modules stay in the graph as leaves (not followed), so rules about packages can see them.
    exclude: { path: '(^|/)dist/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.d.ts'],
    },
    moduleSystems: ['es6', 'cjs'],
  },
};
