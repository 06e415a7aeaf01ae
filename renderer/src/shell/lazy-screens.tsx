// The chart-side screens (Renderer B's), loaded lazily with React.lazy so the bundle that draws the
// lock and sign-in screens after a purge reload stays small; each comes in its own chunk.
import { lazy } from 'react';

export const ChartScreen = lazy(() => import('../screens/chart/chart-screen.js').then((m) => ({ default: m.ChartScreen })));
export const ConflictsScreen = lazy(() => import('../screens/conflicts/conflicts-screen.js').then((m) => ({ default: m.ConflictsScreen })));
export const AuditScreen = lazy(() => import('../screens/admin/audit-screen.js').then((m) => ({ default: m.AuditScreen })));
export const PolicyScreen = lazy(() => import('../screens/admin/policy-screen.js').then((m) => ({ default: m.PolicyScreen })));
export const PrintMarButton = lazy(() => import('../screens/print/print-mar-button.js').then((m) => ({ default: m.PrintMarButton })));
export const OffWardDialog = lazy(() => import('../screens/off-ward/off-ward-dialog.js').then((m) => ({ default: m.OffWardDialog })));
