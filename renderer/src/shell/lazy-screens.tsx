// The chart-side screens (Renderer B's), each in its own chunk so the bundle that draws the lock
// and sign-in screens after a purge reload stays small. The frame preloads them when idle, so
// opening a chart later does not wait for a chunk or a Suspense fallback.
import { preloadable } from './preloadable.js';

const chart = preloadable(() => import('../screens/chart/chart-screen.js').then((m) => m.ChartScreen));
const conflicts = preloadable(() => import('../screens/conflicts/conflicts-screen.js').then((m) => m.ConflictsScreen));
const audit = preloadable(() => import('../screens/admin/audit-screen.js').then((m) => m.AuditScreen));
const policy = preloadable(() => import('../screens/admin/policy-screen.js').then((m) => m.PolicyScreen));
const printMar = preloadable(() => import('../screens/print/print-mar-button.js').then((m) => m.PrintMarButton));
const offWard = preloadable(() => import('../screens/off-ward/off-ward-dialog.js').then((m) => m.OffWardDialog));

export const ChartScreen = chart.Component;
export const ConflictsScreen = conflicts.Component;
export const AuditScreen = audit.Component;
export const PolicyScreen = policy.Component;
export const PrintMarButton = printMar.Component;
export const OffWardDialog = offWard.Component;

/** Fetches the screens this role can open (called once the frame has shown). */
export function preloadScreens(abilities: { chart: boolean; print: boolean; breakGlass: boolean; audit: boolean; policy: boolean }): void {
  if (abilities.print) void printMar.preload();
  if (abilities.breakGlass) void offWard.preload();
  if (abilities.chart) {
    void chart.preload();
    void conflicts.preload();
  }
  if (abilities.audit) void audit.preload();
  if (abilities.policy) void policy.preload();
}
