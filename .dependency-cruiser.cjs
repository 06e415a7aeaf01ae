// The layering of docs/DESIGN.md (mapped in docs/ARCHITECTURE.md), checked on every `npm test`
// over every folder of code: the app (electron, renderer, shared, server), its tests and
// benchmarks, bin/ and scripts/.
//
// Rooms and doors. A room is a folder directly under electron/, server/ or shared/ (server/fhir,
// shared/contract, electron/vault ...). Code outside a room enters it through its door, index.ts,
// which exports what other rooms use. Test code (tests/, bench/, *.test.ts, a room's
// test-helpers.ts) may also use a room's second door, test-helpers.ts, which production code never
// imports. Inside a room, files import each other freely (a sub-folder such as server/fhir/store/
// is part of its room).
/** @type {import('dependency-cruiser').IConfiguration} */

// Room doors: `index.ts`, and for test code `test-helpers.ts`.
const DOOR = '^(electron|server|shared)/[^/]+/index\\.ts$';
const TEST_DOOR = '^(electron|server|shared)/[^/]+/(index|test-helpers)\\.ts$';
// Test code: cross-room tests and benchmarks, unit tests, and the rooms' test helpers.
const TEST_CODE = ['^(tests|bench)/', '\\.test\\.ts$', '/test-helpers\\.ts$'];

module.exports = {
  forbidden: [
    {
      name: 'shared-is-self-contained',
      comment: 'shared/ imports no other folder of the app (its unit tests may use tests/support).',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(electron|renderer|server|bench)/' },
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
      to: { path: '^(electron|server|bench)/' },
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
      comment: 'The hub imports only shared/ (its unit tests may also use tests/support, e.g. the PostgreSQL harness).',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^(electron|renderer|bench)/' },
    },
    {
      name: 'host-does-not-import-hub-or-ui',
      severity: 'error',
      from: { path: '^electron/' },
      to: { path: '^(renderer|server|bench)/' },
    },
    {
      name: 'app-code-does-not-import-tests',
      comment: 'Production code never imports the test support or the benchmarks.',
      severity: 'error',
      from: { path: '^(electron|server|shared|renderer)/', pathNot: TEST_CODE },
      to: { path: '^(tests|bench)/' },
    },
    {
      name: 'electron-only-in-the-shell-glue',
      comment:
        'Only electron/main.ts, electron/preload.ts and electron/window/ may import the electron package, or electron-updater ' +
        '(which drives Electron). tests/packaging/ loads electron-updater to check how the built main process takes it.',
      severity: 'error',
      from: { pathNot: ['^electron/(main\\.ts|preload\\.ts|window/)', '^tests/packaging/'] },
      to: { path: '^node_modules/electron(-updater)?/' },
    },
    {
      name: 'tests-never-import-electron',
      comment:
        'Tests and benchmarks run in plain Node, where the electron package is only the path of its binary: ' +
        'drive the host through its ports, or the shell glue through its pure option and handler builders.',
      severity: 'error',
      from: { path: '^(tests|bench)/' },
      to: { path: '^node_modules/electron/' },
    },
    {
      name: 'rooms-through-their-index',
      comment:
        'A room of electron/, server/ or shared/ is entered through its index.ts by the other rooms of its folder ' +
        '(server/fhir imports server/identity/index.ts, never server/identity/principal.ts). The one exception: ' +
        "electron/vault/resource-validation.ts, the vault's validation and rows without the database, which the " +
        "sync's page reader thread (electron/sync/page-columns.ts) loads alone: through the vault's index it would " +
        'load the database driver and the key custody into a thread that needs neither.',
      severity: 'error',
      from: { path: '^(electron|server|shared)/([^/]+)/', pathNot: TEST_CODE },
      to: { path: '^$1/[^/]+/.+', pathNot: ['^$1/$2/', DOOR, '^electron/vault/resource-validation\\.ts$'] },
    },
    {
      name: 'composition-through-the-index',
      comment: 'The files at the top of a folder (electron/main.ts, server/app.ts) compose rooms through their index.ts.',
      severity: 'error',
      from: { path: '^(electron|server|shared)/[^/]+\\.ts$', pathNot: TEST_CODE },
      to: { path: '^$1/[^/]+/.+', pathNot: DOOR },
    },
    {
      name: 'shared-rooms-through-their-index',
      comment:
        'The host, the hub, the renderer and the entry points use shared/ through the index.ts of its rooms. ' +
        "The one exception: shared/loopback/endpoint.ts, the loopback link's plain constants, which the " +
        "renderer's early socket (renderer/src/bridge/early-socket.ts) imports without zod so it can open " +
        'before any schema has loaded.',
      severity: 'error',
      from: { path: '^(electron|server|renderer|bin|scripts)/', pathNot: TEST_CODE },
      to: { path: '^shared/[^/]+/.+', pathNot: [DOOR, '^shared/loopback/endpoint\\.ts$'] },
    },
    {
      name: 'unit-tests-through-the-doors',
      comment:
        "A unit test (and a room's test-helpers.ts) works inside its own room; another room's pieces it takes " +
        "through that room's index.ts or test-helpers.ts.",
      severity: 'error',
      from: { path: '^(electron|server|shared)/([^/]+)/.*(\\.test|test-helpers)\\.ts$' },
      to: { path: '^(electron|server|shared)/[^/]+/.+', pathNot: ['^$1/$2/', TEST_DOOR] },
    },
    {
      name: 'tests-through-the-doors',
      comment:
        'tests/ holds the tests that cross rooms and processes: they use a room as other code does, through its ' +
        'index.ts, plus its test-helpers.ts. A test of one room from inside is a unit test beside its code.',
      severity: 'error',
      from: { path: '^tests/' },
      to: { path: '^(electron|server|shared)/[^/]+/.+', pathNot: TEST_DOOR },
    },
    {
      name: 'bench-through-the-doors',
      comment:
        "bench/ measures rooms through their index.ts and test-helpers.ts too, except where a benchmark compares one of a room's " +
        "inner pieces with a baseline: bench/vault.bench.ts runs the vault's own store code and pragmas on unencrypted " +
        'SQLite, and bench/fhir-validation.bench.ts times the zod schemas alone beside the compiled guard. Those pieces are listed here.',
      severity: 'error',
      from: { path: '^bench/' },
      to: {
        path: '^(electron|server|shared)/[^/]+/.+',
        pathNot: [TEST_DOOR, '^electron/vault/(migration-runner|resource-store|sqlcipher-connection)\\.ts$', '^shared/fhir/validate\\.ts$'],
      },
    },
    {
      name: 'test-helpers-stay-in-tests',
      comment: "A room's test-helpers.ts is a door for test code only; production code never imports it.",
      severity: 'error',
      from: { pathNot: TEST_CODE },
      to: { path: '/test-helpers\\.ts$' },
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
