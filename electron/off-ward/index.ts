// The off-ward room: break-the-glass for a patient who is not on this ward. Opening such a chart
// (fetched from the hub by MRN as the signed-in user, online only, every refusal audited) and
// holding it in memory only, one copy per grant, dropped when the grant stops or its session locks.
// The sessions room grants and ends the access; the sync room's client reads the hub.
export { OffWardCharts } from './off-ward-charts.js';
export { openOffWardChart, type OffWardChartOptions } from './open-off-ward-chart.js';
export { OffWardError } from './off-ward-error.js';
