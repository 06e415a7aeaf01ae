// One row of the census grid: bed, name with a second identifier (MRN, birth date) and, while
// searching, why the row matched; age and sex, alerts (a dose recorded twice for one slot first, in
// the MAR's words), allergy flag, time of the last
// vital signs and how old they are (colour and words), the NEWS2 of the latest complete round with
// its band and time (and a newer incomplete round under it), and
// when the workstation last brought the chart up to date (data as of, with its staleness).
import type { CensusEntryData } from '../../../../shared/contract/index.js';
import { DataAsOf } from '../chart/data-as-of.js';
import { News2Latest } from '../chart/news2-latest.js';
import { ALLERGY_WORDING, allergyState, formatCalendarDate, formatDayTime, formatRecentTime } from '../../../../shared/display/index.js';
import { DOUBLE_DOSE_TITLE, doubleDoseNotice } from '../../../../shared/medication-safety/index.js';
import { ageOn, sexLabel, shortAge, spokenAge } from '../../lib/age.js';
import { vitalsStaleness } from '../../../../shared/staleness/index.js';
import { vitalsStalenessLabel } from '../../lib/staleness.js';

export const CENSUS_COLUMNS = [
  'Bed',
  'Patient',
  'Age and sex',
  'Alerts',
  'Allergies',
  'Last vitals',
  'Vitals age',
  'NEWS2',
  'Data as of',
] as const;
/** Each column's cell class, shared by the header, so a narrow window can lay both out in two lines. */
export const CENSUS_CELL_CLASSES = [
  'census__bed',
  'census__name',
  'census__age',
  'census__alerts',
  'census__allergies',
  'census__vitals',
  'census__vitals-age',
  'census__news2',
  'census__data-as-of',
] as const;

export interface CensusRowProps {
  readonly row: CensusEntryData;
  /** Why the row matched the search ("exact bed", "name"), or "" without a search. */
  readonly matchReason: string;
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
  // A slot recorded twice, in the MAR's words, ahead of the chart's alerts: a clinician scanning the census
  // sees "Dose recorded twice" without the MAR; the whole notice is its title and what a screen reader reads.
  const doubleDoses = row.dosesRecordedTwice.map((slot) => doubleDoseNotice(slot.medication, slot.count, formatDayTime(slot.scheduledAt)));
  const alertsTitle = [...doubleDoses, ...(alerts === '' ? [] : [alerts])].join('; ');
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
        <span className="census__patient">{row.name}</span>
        <span className="census__identifiers">
          <span className="visually-hidden">, </span>
          {props.matchReason === '' ? null : <span className="census__reason">matched {props.matchReason} · </span>}
          {row.mrn ?? 'No MRN'} · born {formatCalendarDate(row.birthDate)}
        </span>
      </span>
      <span role="gridcell" className="census__age">
        <span aria-hidden="true">
          {age === null ? '—' : shortAge(age)} · {sex.short}
        </span>
        <span className="visually-hidden">
          {age === null ? 'age unknown' : spokenAge(age)}, {sex.long}
        </span>
      </span>
      <span role="gridcell" className="census__alerts" title={alertsTitle === '' ? undefined : alertsTitle}>
        {doubleDoses.map((notice) => (
          <span key={notice} className="flag flag--double-dose">
            {DOUBLE_DOSE_TITLE}
            <span className="visually-hidden">{notice.slice(DOUBLE_DOSE_TITLE.length)}</span>
          </span>
        ))}
        {row.alerts.length === 0 ? (
          doubleDoses.length === 0 ? (
            <span className="muted">None</span>
          ) : null
        ) : (
          <span className="flag flag--alert">{alerts}</span>
        )}
      </span>
      <span role="gridcell" className="census__allergies">
        {row.hasAllergies ? (
          <span className="flag flag--allergy">{ALLERGY_WORDING.allergies}</span>
        ) : (
          <span className="muted">{ALLERGY_WORDING[allergyState(0, row.noKnownAllergies)]}</span>
        )}
      </span>
      <span role="gridcell" className="census__vitals">
        {row.lastVitalsAt === null ? <span className="muted">None</span> : formatRecentTime(row.lastVitalsAt, new Date(now))}
      </span>
      <span role="gridcell" className={`census__vitals-age vitals-age vitals-age--${level}`}>
        {vitalsStalenessLabel(level)}
      </span>
      <span role="gridcell" className="census__news2">
        {row.news2 === null ? <span className="muted">None</span> : <News2Latest news2={row.news2} now={now} />}
      </span>
      <span role="gridcell" className="census__data-as-of">
        <DataAsOf dataAsOf={row.dataAsOf} compact />
      </span>
    </div>
  );
}
