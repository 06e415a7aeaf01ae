// Which open charts may be documented from this workstation, once for the host and the renderer. A
// chart is documented on the workstation whose chart cache holds it (the patient's ward, which syncs
// that documentation); an emergency copy of a patient on another ward, fetched from the hub by
// break-the-glass and held in memory only, is for reading. The host refuses every save for such a
// chart (electron/documentation) and says why in the chart summary it sends (`readOnly`), from which
// the chart screen hides its documenting actions and shows the reason instead. A grant alone makes
// no chart read-only: a restricted chart of this ward opened by break-the-glass is documented as any
// other (the role decides the rest).

/** Why an open chart cannot be documented from this workstation. */
export const READ_ONLY_CHART_REASONS = ['off-ward-emergency-copy'] as const;
export type ReadOnlyChartReason = (typeof READ_ONLY_CHART_REASONS)[number];

/** What the chart screen says in place of the documenting actions. */
export const READ_ONLY_CHART_TEXT: Readonly<Record<ReadOnlyChartReason, string>> = {
  'off-ward-emergency-copy':
    "Emergency view of a patient on another ward — read only. Document on the patient's ward: nothing can be recorded for this patient from this workstation.",
};

/** The patient's chart as this workstation holds it. */
export interface HeldChart {
  /** Whether this workstation's chart cache holds the patient (as opposed to an emergency copy in memory, or nothing). */
  readonly inChartCache: boolean;
}

/** The rule: why the chart cannot be documented from this workstation, or null when it can. */
export function readOnlyReasonOf(chart: HeldChart): ReadOnlyChartReason | null {
  return chart.inChartCache ? null : 'off-ward-emergency-copy';
}
