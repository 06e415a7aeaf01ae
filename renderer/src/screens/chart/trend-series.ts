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

/** The y-axis domain with a little room, so a flat line is not drawn on the frame. */
export function valueDomain(rows: readonly TrendRow[]): [number, number] | null {
  const values = rows.flatMap((r) => [r.value, r.systolic, r.diastolic]).filter((v): v is number => v !== undefined);
  if (values.length === 0) return null;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const pad = Math.max((max - min) * 0.1, max === 0 ? 1 : Math.abs(max) * 0.05);
  return [Math.floor(min - pad), Math.ceil(max + pad)];
}
