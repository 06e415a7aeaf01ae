// An object whose methods build the real one on first use: a store's statements are prepared only
// when it is used, so a vault opens even before the migration adding that store's tables has run.
export function lazily<T extends object>(create: () => T, methods: readonly (keyof T & string)[]): T {
  let real: T | null = null;
  const target = (): T => (real ??= create());
  return Object.fromEntries(
    methods.map((name) => [name, (...args: unknown[]) => (target()[name] as (...a: unknown[]) => unknown)(...args)]),
  ) as T;
}
