// The points of chart:trend turned into rows a plot and its table can share: one row per time, with
// `value` for a single vital and `systolic`/`diastolic` for the blood-pressure panel.
import type { TrendPointData } from '../../../../shared/contract/index.js';
import { bareCode, type VitalDefinition } from './vital-definitions.js';

export interface TrendRow {
  /** Milliseconds since the epoch (the plot's x axis). */
  readonly t: number;
  readonly time: string;
  readonly value?: number;
  readonly systolic?: number;
  readonly diastolic?: number;
}

/** Rows in time order; points without any value are dropped. */
export function trendRows(points: readonly TrendPointData[], vital: VitalDefinition): TrendRow[] {
  const rows: TrendRow[] = [];
  for (const point of points) {
    const t = Date.parse(point.time);
    if (Number.isNaN(t)) continue;
    if (vital.components !== undefined) {
      const row: { t: number; time: string; systolic?: number; diastolic?: number } = { t, time: point.time };
      for (const component of vital.components) {
        const found = point.components.find((c) => bareCode(c.code) === component.code);
        if (found?.value !== null && found?.value !== undefined) row[component.key] = found.value;
      }
      if (row.systolic !== undefined || row.diastolic !== undefined) rows.push(row);
    } else if (point.value !== null) {
      rows.push({ t, time: point.time, value: point.value });
    }
  }
  return rows.sort((a, b) => a.t - b.t);
}

/** A round step for an axis spanning `range` (1, 2, 5, 10, 20, 50…). */
function niceStep(range: number): number {
  const rough = Math.max(range, 1e-9) / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= rough) ?? 10 * power;
  return step;
}

export interface ValueAxis {
  readonly domain: [number, number];
  readonly ticks: number[];
}

/** The y axis on round numbers with a little room, so a flat line is not drawn on the frame. */
export function valueAxis(rows: readonly TrendRow[]): ValueAxis | null {
  const values = rows.flatMap((r) => [r.value, r.systolic, r.diastolic]).filter((v): v is number => v !== undefined);
  if (values.length === 0) return null;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const step = niceStep(max - min === 0 ? Math.max(Math.abs(max) * 0.1, 1) : max - min);
  const low = Math.floor(min / step) * step;
  const high = Math.ceil(max / step) * step;
  const domain: [number, number] = [low === min ? low - step : low, high === max ? high + step : high];
  const ticks: number[] = [];
  for (let tick = domain[0]; tick <= domain[1] + step / 2; tick += step) ticks.push(Math.round(tick * 1000) / 1000);
  return { domain, ticks };
}

const HOUR = 3_600_000;

/** X-axis ticks on whole local hours: every 6 hours up to a day and a half, else every midnight. */
export function timeTicks(fromMs: number, toMs: number): number[] {
  const everyHours = toMs - fromMs <= 36 * HOUR ? 6 : 24;
  const start = new Date(fromMs);
  start.setMinutes(0, 0, 0);
  start.setHours(Math.ceil((start.getHours() + (start.getTime() < fromMs ? 1 : 0)) / everyHours) * everyHours);
  const ticks: number[] = [];
  for (const tick = start; tick.getTime() <= toMs; tick.setHours(tick.getHours() + everyHours)) ticks.push(tick.getTime());
  return ticks;
}
