// One row of the census grid: bed, name with a second identifier (MRN, birth date) and, while
// searching, why the row matched; age and sex, alerts (a dose recorded twice for one slot first, in
// the MAR's words), allergy flag, time of the last
// vital signs and how old they are (colour and words), the NEWS2 of the latest complete round with
// its band and time (and a newer incomplete round under it), and
// when the workstation last brought the chart up to date (data as of, with its staleness). A column
// is there only for a role that may read one of its fields (shared/access, CENSUS_ROW_FIELDS): a
// clerk's census has bed, patient, age and sex and data as of, and the host sends a clerk nothing more.
import { CENSUS_ROW_FIELDS, mayReadField, type StaffRole } from '../../../../shared/access/index.js';
import type { CensusRowData } from '../../../../shared/contract/index.js';
import { DataAsOf } from '../chart/data-as-of.js';
import { News2Latest } from '../chart/news2-latest.js';
import { ALLERGY_WORDING, allergyState, formatCalendarDate, formatDayTime, formatRecentTime } from '../../../../shared/display/index.js';
import { DOUBLE_DOSE_TITLE, doubleDoseNotice } from '../../../../shared/medication-safety/index.js';
import { ageOn, sexLabel, shortAge, spokenAge } from '../../lib/age.js';
import { vitalsStaleness } from '../../../../shared/staleness/index.js';
import { vitalsStalenessLabel } from '../../lib/staleness.js';

type CensusField = keyof typeof CENSUS_ROW_FIELDS;
export type CensusColumnId = 'bed' | 'patient' | 'age' | 'alerts' | 'allergies' | 'vitals' | 'vitals-age' | 'news2' | 'data-as-of';

export interface CensusColumn {
  readonly id: CensusColumnId;
  readonly name: string;
  /** The cell class, shared by the header, so a narrow window can lay both out in two lines. */
  readonly cell: string;
  /** Its track in the wide grid. */
  readonly width: string;
  /** The row's fields it shows: the column is offered to a role that may read one of them (shared/access). */
  readonly fields: readonly CensusField[];
}

export const CENSUS_COLUMNS: readonly CensusColumn[] = [
  { id: 'bed', name: 'Bed', cell: 'census__bed', width: '5.5rem', fields: ['bed'] },
  { id: 'patient', name: 'Patient', cell: 'census__name', width: 'minmax(12rem, 2fr)', fields: ['name', 'mrn', 'birthDate'] },
  { id: 'age', name: 'Age and sex', cell: 'census__age', width: '7rem', fields: ['birthDate', 'gender'] },
  { id: 'alerts', name: 'Alerts', cell: 'census__alerts', width: 'minmax(9rem, 2fr)', fields: ['alerts', 'dosesRecordedTwice'] },
  { id: 'allergies', name: 'Allergies', cell: 'census__allergies', width: '8.5rem', fields: ['hasAllergies', 'noKnownAllergies'] },
  { id: 'vitals', name: 'Last vitals', cell: 'census__vitals', width: '7.5rem', fields: ['lastVitalsAt'] },
  { id: 'vitals-age', name: 'Vitals age', cell: 'census__vitals-age', width: '9rem', fields: ['lastVitalsAt'] },
  { id: 'news2', name: 'NEWS2', cell: 'census__news2', width: '10rem', fields: ['news2'] },
  { id: 'data-as-of', name: 'Data as of', cell: 'census__data-as-of', width: '8rem', fields: ['dataAsOf'] },
];

/** The columns `role` is shown: a clerk's census has no alerts, allergies, vital signs or NEWS2 column (the host sends none of it). */
export function censusColumns(role: StaffRole): readonly CensusColumn[] {
  return CENSUS_COLUMNS.filter((column) => column.fields.some((field) => mayReadField(role, CENSUS_ROW_FIELDS, field)));
}

export interface CensusRowProps {
  readonly row: CensusRowData;
  /** The columns the role is shown (censusColumns). */
  readonly columns: readonly CensusColumn[];
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
  const lastVitalsAt = row.lastVitalsAt ?? null;
  const level = vitalsStaleness(lastVitalsAt, now);
  const rowAlerts = row.alerts ?? [];
  const alerts = rowAlerts.map((a) => a.text).join('; ');
  // A slot recorded twice, in the MAR's words, ahead of the chart's alerts: a clinician scanning the census
  // sees "Dose recorded twice" without the MAR; the whole notice is its title and what a screen reader reads.
  const doubleDoses = (row.dosesRecordedTwice ?? []).map((slot) =>
    doubleDoseNotice(slot.medication, slot.count, formatDayTime(slot.scheduledAt)),
  );
  const alertsTitle = [...doubleDoses, ...(alerts === '' ? [] : [alerts])].join('; ');
  const cell = (id: CensusColumnId): React.JSX.Element => {
    switch (id) {
      case 'bed':
        return (
          <span key={id} role="gridcell" className="census__bed">
            {row.bed ?? '—'}
          </span>
        );
      case 'patient':
        return (
          <span key={id} role="gridcell" className="census__name">
            <span className="census__patient">{row.name}</span>
            <span className="census__identifiers">
              <span className="visually-hidden">, </span>
              {props.matchReason === '' ? null : <span className="census__reason">matched {props.matchReason} · </span>}
              {row.mrn ?? 'No MRN'} · born {formatCalendarDate(row.birthDate)}
            </span>
          </span>
        );
      case 'age':
        return (
          <span key={id} role="gridcell" className="census__age">
            <span aria-hidden="true">
              {age === null ? '—' : shortAge(age)} · {sex.short}
            </span>
            <span className="visually-hidden">
              {age === null ? 'age unknown' : spokenAge(age)}, {sex.long}
            </span>
          </span>
        );
      case 'alerts':
        return (
          <span key={id} role="gridcell" className="census__alerts" title={alertsTitle === '' ? undefined : alertsTitle}>
            {doubleDoses.map((notice) => (
              <span key={notice} className="flag flag--double-dose">
                {DOUBLE_DOSE_TITLE}
                <span className="visually-hidden">{notice.slice(DOUBLE_DOSE_TITLE.length)}</span>
              </span>
            ))}
            {rowAlerts.length === 0 ? (
              doubleDoses.length === 0 ? (
                <span className="muted">None</span>
              ) : null
            ) : (
              <span className="flag flag--alert">{alerts}</span>
            )}
          </span>
        );
      case 'allergies':
        return (
          <span key={id} role="gridcell" className="census__allergies">
            {row.hasAllergies === true ? (
              <span className="flag flag--allergy">{ALLERGY_WORDING.allergies}</span>
            ) : (
              <span className="muted">{ALLERGY_WORDING[allergyState(0, row.noKnownAllergies === true)]}</span>
            )}
          </span>
        );
      case 'vitals':
        return (
          <span key={id} role="gridcell" className="census__vitals">
            {lastVitalsAt === null ? <span className="muted">None</span> : formatRecentTime(lastVitalsAt, new Date(now))}
          </span>
        );
      case 'vitals-age':
        return (
          <span key={id} role="gridcell" className={`census__vitals-age vitals-age vitals-age--${level}`}>
            {vitalsStalenessLabel(level)}
          </span>
        );
      case 'news2':
        return (
          <span key={id} role="gridcell" className="census__news2">
            {row.news2 === undefined || row.news2 === null ? (
              <span className="muted">None</span>
            ) : (
              <News2Latest news2={row.news2} now={now} />
            )}
          </span>
        );
      case 'data-as-of':
        return (
          <span key={id} role="gridcell" className="census__data-as-of">
            <DataAsOf dataAsOf={row.dataAsOf} compact />
          </span>
        );
    }
  };
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
      {props.columns.map((column) => cell(column.id))}
    </div>
  );
}
