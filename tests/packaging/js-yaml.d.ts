// The part of js-yaml (a dependency of electron-builder, without bundled types) the packaging tests use.
declare module 'js-yaml' {
  export function load(text: string): unknown;
}
