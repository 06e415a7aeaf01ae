// An object whose methods build the real one on first use: a store's statements are prepared only
// when it is used, so a vault opens even before the migration adding that store's tables has run.
// And an object whose methods refuse once its database is closed.
export function lazily<T extends object>(create: () => T, methods: readonly (keyof T & string)[]): T {
  let real: T | null = null;
  const target = (): T => (real ??= create());
  return Object.fromEntries(
    methods.map((name) => [name, (...args: unknown[]) => (target()[name] as (...a: unknown[]) => unknown)(...args)]),
  ) as T;
}

/** The same object, each of whose functions first runs `assertOpen` (which throws once the database is closed). */
export function guarded<T extends object>(target: T, assertOpen: () => void): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(target)) {
    wrapped[name] =
      typeof value === 'function'
        ? (...args: unknown[]) => {
            assertOpen();
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          }
        : value;
  }
  return wrapped as T;
}
