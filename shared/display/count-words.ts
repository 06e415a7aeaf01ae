// A count with its noun in the right number ("1 audit entry", "3 audit entries"), for every message
// that counts something. Runtime-neutral.

/** `n` followed by `one` when n is 1, else by `many`. */
export function counted(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
