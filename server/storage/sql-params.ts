// Bound parameters and batches for SQL assembled in code: every value reaches the database as a
// bound parameter ($1, $2, …), never as SQL text; long lists go in chunks (both engines cap the
// number of bound values per statement).

export class SqlParams {
  readonly values: unknown[] = [];

  /** Binds `value` and returns its placeholder. */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  /** Placeholders for a list, e.g. `$3, $4, $5`. */
  list(values: readonly unknown[]): string {
    return values.map((value) => this.add(value)).join(', ');
  }
}

/** Multi-row INSERT in chunks (both engines cap the number of bound values per statement). */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** `($1, …, $w), ($w+1, …)`: the VALUES list of a multi-row statement of `rowCount` rows of `width` values. */
export function rowsPlaceholders(rowCount: number, width: number): string {
  const rows: string[] = [];
  for (let r = 0; r < rowCount; r++) {
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(`$${r * width + c}`);
    rows.push(`(${cells.join(', ')})`);
  }
  return rows.join(', ');
}
