// The Node.js options the hub process runs under, wherever it is started: the shebang of
// bin/wardline-hub.js, `npm run hub`, the service unit of docs/OPERATIONS.md and the benchmarks
// that start or embed the hub (node-options.test.ts checks that each names exactly these).
//
// --max-semi-space-size=64 (MB): V8's young generation, where the short-lived objects of a bulk
// write live (a page of parsed upstream resources, their hub form, their JSON text and index terms),
// may grow to 64 MB per semi-space instead of 16. Fewer young collections copy the objects still
// alive, which for a 4,000-resource transaction are most of them: the upstream mirror's first pull
// spent ~10 % less of the hub's thread and about half as much of its other threads (the parallel
// scavenger's helpers) per resource (docs/UPSTREAM.md). It costs up to ~100 MB more resident
// memory under a bulk load, nothing at rest (V8 grows the young generation only when it needs to).
export const HUB_NODE_OPTIONS: readonly string[] = ['--max-semi-space-size=64'];

/** True when this process runs with every one of HUB_NODE_OPTIONS (on its command line or in NODE_OPTIONS). */
export function runsWithHubNodeOptions(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions = process.env.NODE_OPTIONS ?? '',
): boolean {
  const given = new Set([...execArgv, ...nodeOptions.split(/\s+/).filter((word) => word !== '')]);
  return HUB_NODE_OPTIONS.every((option) => given.has(option));
}
