// Modules that vite.config.ts makes up at build time.

/** The address of the loopback bridge's module script (renderer/src/bridge/bridge-entry.ts, built on its own). */
declare module 'virtual:wardline-bridge-url' {
  const url: string;
  export default url;
}
