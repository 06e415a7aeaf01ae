// The performance mark the bench and the e2e suite read: the chart's banner and first tab are on
// screen with data. Set once per chart opened.

export const CHART_INTERACTIVE_MARK = 'wardline:chart-interactive';

export function markChartInteractive(): void {
  if (typeof performance !== 'undefined' && typeof performance.mark === 'function') performance.mark(CHART_INTERACTIVE_MARK);
}
