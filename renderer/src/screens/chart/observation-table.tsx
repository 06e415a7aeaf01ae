// A table of latest observations (vital signs or labs): name, value, flag, reference range, time.
import type { PatientSummaryData } from '../../../../shared/contract/index.js';
import { formatDayTime } from '../../../../shared/display/index.js';
import { interpretationFlag } from './interpretation.js';
import { InterpretationBadge } from './interpretation-badge.js';
import { observationValueText } from './observation-format.js';

type Observation = PatientSummaryData['vitals'][number];

export function ObservationTable(props: {
  caption: string;
  observations: readonly Observation[];
  nameOf: (observation: Observation) => string;
  showRange?: boolean;
  nameHeader?: string;
  /** The caption repeats a visible heading: read by screen readers only. */
  captionHidden?: boolean;
}): React.JSX.Element {
  const { caption, observations, nameOf, showRange = false, nameHeader = 'Test', captionHidden = false } = props;
  return (
    <table className="table">
      <caption className={captionHidden ? 'visually-hidden' : undefined}>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{nameHeader}</th>
          <th scope="col">Result</th>
          <th scope="col">Flag</th>
          {showRange ? <th scope="col">Reference range</th> : null}
          <th scope="col">Time</th>
        </tr>
      </thead>
      <tbody>
        {observations.map((observation) => {
          const flag = interpretationFlag(observation.interpretation);
          return (
            <tr key={observation.observationId} className={flag === null ? undefined : `table__row--${flag.tone}`}>
              <th scope="row">{nameOf(observation)}</th>
              <td className="num">{observationValueText(observation)}</td>
              <td>
                <InterpretationBadge code={observation.interpretation} />
              </td>
              {showRange ? <td>{observation.referenceRange ?? '—'}</td> : null}
              <td className="nowrap">{formatDayTime(observation.time)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
