// The Labs tab: the latest result of every laboratory test, with abnormal flags (H, L, HH, LL, A)
// as text and style, abnormal results first.
import type { PatientSummaryData } from '../../../../shared/contract/index.js';
import { interpretationFlag } from './interpretation.js';
import { ObservationTable } from './observation-table.js';

const TONE_ORDER = { critical: 0, high: 1, low: 1, abnormal: 2 } as const;

export function LabsTab({ labs }: { labs: PatientSummaryData['labs'] }): React.JSX.Element {
  if (labs.length === 0) return <p>No lab results for this admission.</p>;
  const rank = (o: PatientSummaryData['labs'][number]): number => {
    const flag = interpretationFlag(o.interpretation);
    return flag === null ? 3 : TONE_ORDER[flag.tone];
  };
  const ordered = [...labs].sort((a, b) => rank(a) - rank(b) || (a.display ?? a.code).localeCompare(b.display ?? b.code));
  const abnormal = ordered.filter((o) => interpretationFlag(o.interpretation) !== null).length;
  return (
    <div>
      <p>
        {abnormal === 0
          ? 'All latest results are within range.'
          : `${abnormal} of ${labs.length} latest results are outside the reference range.`}
      </p>
      <ObservationTable caption="Latest lab results" observations={ordered} nameOf={(o) => o.display ?? o.code} showRange />
    </div>
  );
}
