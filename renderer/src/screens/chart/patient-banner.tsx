// The patient banner, always above the chart's tabs: name, MRN, birth date and age, sex, bed,
// allergies, code status, alerts, a dose recorded twice for one slot (in the MAR's words, from the
// host's summary; only for a role that may read medication), the chart's data as of (with its staleness, kept current after each
// sync cycle: use-patient-data-as-of.ts), and a marker when the chart is open through emergency access.
// Allergies and alerts appear only for roles that may read them.
import { Fragment } from 'react';
import type { ChartSummaryData, SessionViewData } from '../../../../shared/contract/index.js';
import { ageOn, spokenAge } from '../../lib/age.js';
import { allergyStatus, codeStatus, otherAlerts, sexText } from './banner-facts.js';
import { ALLERGY_WORDING, formatCalendarDate, formatDateTime, formatDayTime } from '../../../../shared/display/index.js';
import { doubleDoseNotice } from '../../../../shared/medication-safety/index.js';
import { DataAsOf } from './data-as-of.js';
import { usePatientDataAsOf } from './use-patient-data-as-of.js';
import { mayRead } from './role-permissions.js';

export interface EmergencyAccessMarker {
  /** Until when the access lasts (ISO). */
  readonly expiresAt: string;
}

export function PatientBanner(props: {
  summary: ChartSummaryData;
  role: SessionViewData['role'];
  emergencyAccess: EmergencyAccessMarker | null;
  headingId: string;
}): React.JSX.Element {
  const { summary, role, emergencyAccess, headingId } = props;
  const { patient, encounter } = summary;
  // Absent when the role may not read them (the host sends only what the role may read).
  const alerts = summary.alerts ?? [];
  const dosesRecordedTwice = summary.dosesRecordedTwice ?? [];
  const age = patient.birthDate === null ? null : ageOn(patient.birthDate, new Date());
  const dataAsOf = usePatientDataAsOf(patient.id, summary.dataAsOf);
  return (
    <section className="patient-banner" aria-labelledby={headingId}>
      <div className="patient-banner__title">
        <h2 id={headingId} className="patient-banner__name" tabIndex={-1}>
          {patient.name.length > 0 ? patient.name : 'Name not recorded'}
        </h2>
        {emergencyAccess !== null ? (
          <p className="badge badge--alert" role="note">
            Emergency access (break-the-glass) until {formatDateTime(emergencyAccess.expiresAt)} — audited
          </p>
        ) : null}
      </div>
      <dl className="patient-banner__facts">
        <div>
          <dt>MRN</dt>
          <dd>{patient.mrn ?? 'Not recorded'}</dd>
        </div>
        <div>
          <dt>Born</dt>
          <dd>
            {patient.birthDate === null
              ? 'Not recorded'
              : `${formatCalendarDate(patient.birthDate)}${age === null ? '' : ` (${spokenAge(age)})`}`}
          </dd>
        </div>
        <div>
          <dt>Sex</dt>
          <dd>{sexText(patient.gender)}</dd>
        </div>
        <div>
          <dt>Bed</dt>
          <dd>{encounter?.bed ?? 'No bed'}</dd>
        </div>
        {mayRead(role, 'allergies') ? <AllergyFact summary={summary} /> : null}
        {mayRead(role, 'alerts') ? (
          <div>
            <dt>Code status</dt>
            <dd className={codeStatus(alerts) === null ? 'text-warning' : undefined}>{codeStatus(alerts) ?? 'Not recorded'}</dd>
          </div>
        ) : null}
        <div>
          <dt>Data as of</dt>
          <dd>
            <DataAsOf dataAsOf={dataAsOf} />
          </dd>
        </div>
      </dl>
      {dosesRecordedTwice.length > 0 ? (
        <div className="patient-banner__alerts" role="alert" aria-label="Doses recorded twice">
          {dosesRecordedTwice.map((slot) => (
            <p key={`${slot.medication}|${slot.scheduledAt}`} className="badge badge--alert">
              {doubleDoseNotice(slot.medication, slot.count, formatDayTime(slot.scheduledAt))}
            </p>
          ))}
        </div>
      ) : null}
      {mayRead(role, 'alerts') && otherAlerts(alerts).length > 0 ? (
        <ul className="patient-banner__alerts" aria-label="Alerts">
          {otherAlerts(alerts).map((alert) => (
            <li key={alert.id} className="badge badge--alert">
              {alert.text}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function AllergyFact({ summary }: { summary: ChartSummaryData }): React.JSX.Element {
  const status = allergyStatus(summary);
  return (
    <div className="patient-banner__allergies">
      <dt>{ALLERGY_WORDING.allergies}</dt>
      {status.kind === 'allergies' ? (
        <dd className="text-danger">
          {status.items.map((item, index) => (
            <Fragment key={item.id}>
              {index > 0 ? '; ' : ''}
              <span className={item.highRisk ? 'patient-banner__allergy--high' : undefined}>{item.text}</span>
            </Fragment>
          ))}
        </dd>
      ) : status.kind === 'none-known' ? (
        <dd>{ALLERGY_WORDING['none-known']}</dd>
      ) : (
        <dd className="text-warning">{ALLERGY_WORDING['not-recorded']}</dd>
      )}
    </div>
  );
}
