// One row of the census grid: bed, name, age and sex, alerts, allergy flag, time of the last
// vital signs and how old they are (colour and words).
import type { CensusEntryData } from '../../../../shared/contract/index.js';
import { formatRecentTime } from '../../../../shared/display/index.js';
import { ageOn, sexLabel, shortAge, spokenAge } from '../../lib/age.js';
import { vitalsStaleness } from '../../../../shared/staleness/index.js';
import { vitalsStalenessLabel } from '../../lib/staleness.js';

export const CENSUS_COLUMNS = ['Bed', 'Patient', 'Age and sex', 'Alerts', 'Allergies', 'Last vitals', 'Vitals age'] as const;

export interface CensusRowProps {
  readonly row: CensusEntryData;
  readonly index: number;
  readonly now: number;
  readonly isActive: boolean;
  readonly top: number;
  readonly height: number;
  readonly onOpen: (patientId: string) => void;
  readonly onKeyDown: (event: React.KeyboardEvent<HTMLDivElement>, index: number) => void;
  readonly onFocusRow: (index: number) => void;
}

export function CensusRow(props: CensusRowProps): React.JSX.Element {
  const { row, now } = props;
  const age = row.birthDate === null ? null : ageOn(row.birthDate, new Date(now));
  const sex = sexLabel(row.gender);
  const level = vitalsStaleness(row.lastVitalsAt, now);
  const alerts = row.alerts.map((a) => a.text).join('; ');
  return (
    <div
      role="row"
      aria-rowindex={props.index + 2}
      data-index={props.index}
      tabIndex={props.isActive ? 0 : -1}
      className="census__row"
      style={{ transform: `translateY(${props.top}px)`, height: props.height }}
      onClick={() => props.onOpen(row.patientId)}
      onKeyDown={(event) => props.onKeyDown(event, props.index)}
      onFocus={() => props.onFocusRow(props.index)}
    >
      <span role="gridcell" className="census__bed">
        {row.bed ?? '—'}
      </span>
      <span role="gridcell" className="census__name">
        {row.name}
      </span>
      <span role="gridcell" className="census__age">
        <span aria-hidden="true">
          {age === null ? '—' : shortAge(age)} · {sex.short}
        </span>
        <span className="visually-hidden">
          {age === null ? 'age unknown' : spokenAge(age)}, {sex.long}
        </span>
      </span>
      <span role="gridcell" className="census__alerts" title={alerts === '' ? undefined : alerts}>
        {row.alerts.length === 0 ? <span className="muted">None</span> : <span className="flag flag--alert">{alerts}</span>}
      </span>
      <span role="gridcell" className="census__allergies">
        {row.hasAllergies ? <span className="flag flag--allergy">Allergies</span> : <span className="muted">None recorded</span>}
      </span>
      <span role="gridcell" className="census__vitals">
        {row.lastVitalsAt === null ? <span className="muted">None</span> : formatRecentTime(row.lastVitalsAt, new Date(now))}
      </span>
      <span role="gridcell" className={`census__vitals-age vitals-age vitals-age--${level}`}>
        {vitalsStalenessLabel(level)}
      </span>
    </div>
  );
}
