// How a benchmark reports: a human line per figure, or with --json one JSON object per figure
// ({"name":"vault.ingest","value":41200,"unit":"res/s"}), as docs/CONVENTIONS.md asks.

export const isJson = process.argv.includes('--json');

export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

/** Prints one figure. `goal` (optional) is shown in human output only, e.g. "≤ 20 ms". */
export function report(name: string, value: number, unit: string, goal?: string): Figure {
  const rounded = Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 100) / 100;
  if (isJson) {
    process.stdout.write(`${JSON.stringify({ name, value: rounded, unit })}\n`);
  } else {
    process.stdout.write(`${name.padEnd(44)} ${String(rounded).padStart(12)} ${unit}${goal ? `   (goal ${goal})` : ''}\n`);
  }
  return { name, value: rounded, unit };
}

/** The p-th percentile (0–100) of a sample, by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of an empty sample');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Milliseconds spent in `work`, measured with the high-resolution clock. */
export async function timeMs(work: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}
