// The chart's Summary tab: the admission (its reason, a diagnosis, only for a role that may read problems), latest vital signs with the NEWS2 the census shows (the
// latest complete round, a newer incomplete one beside it), active problems and medications,
// latest labs and the alerts, each only for a role that may read it. Drawn from chart:summary
// alone, so it is ready as soon as the banner is.
import { ENCOUNTER_SUMMARY_FIELDS, mayReadField } from '../../../../shared/access/index.js';
import type { ChartSummaryData, SessionViewData } from '../../../../shared/contract/index.js';
import { formatCalendarDate, formatDateTime } from '../../../../shared/display/index.js';
import { News2Latest } from './news2-latest.js';
import { ObservationTable } from './observation-table.js';
import { mayRead } from './role-permissions.js';
import { vitalName } from './vital-definitions.js';

export function SummaryTab({ summary, role }: { summary: ChartSummaryData; role: SessionViewData['role'] }): React.JSX.Element {
  // A category the role may not read is absent from the summary (the host sends none of it), and its card is not shown.
  const { encounter, news2 = null, vitals = [], problems = [], medications = [], labs = [], alerts = [] } = summary;
  return (
    <div className="summary-grid">
      <section className="card" aria-labelledby="summary-admission">
        <h3 id="summary-admission">Admission</h3>
        {encounter === null ? (
          <p>No current admission recorded.</p>
        ) : (
          <dl className="facts">
            <div>
              <dt>Admitted</dt>
              <dd>{formatDateTime(encounter.admittedAt)}</dd>
            </div>
            <div>
              <dt>Ward</dt>
              <dd>{encounter.ward ?? '—'}</dd>
            </div>
            <div>
              <dt>Bed</dt>
              <dd>{encounter.bed ?? '—'}</dd>
            </div>
            {mayReadField(role, ENCOUNTER_SUMMARY_FIELDS, 'reason') ? (
              <div>
                <dt>Reason</dt>
                <dd>{encounter.reason ?? 'Not recorded'}</dd>
              </div>
            ) : null}
          </dl>
        )}
      </section>
      {mayRead(role, 'vital-signs') ? (
        <section className="card" aria-labelledby="summary-vitals">
          <h3 id="summary-vitals">Latest vital signs</h3>
          {news2 === null ? null : (
            <p>
              <News2Latest news2={news2} full />
            </p>
          )}
          {vitals.length === 0 ? (
            <p>No vital signs recorded.</p>
          ) : (
            <ObservationTable
              caption="Latest vital signs"
              observations={vitals}
              nameOf={(o) => vitalName(o.code, o.display)}
              nameHeader="Vital sign"
              captionHidden
            />
          )}
        </section>
      ) : null}
      {mayRead(role, 'problems') ? (
        <section className="card" aria-labelledby="summary-problems">
          <h3 id="summary-problems">Active problems</h3>
          {problems.length === 0 ? (
            <p>No active problems recorded.</p>
          ) : (
            <ul className="list">
              {problems.map((p) => (
                <li key={p.id}>
                  {p.text}
                  {p.onset === null ? '' : ` — since ${formatCalendarDate(p.onset.slice(0, 10))}`}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      {mayRead(role, 'medication') ? (
        <section className="card" aria-labelledby="summary-medications">
          <h3 id="summary-medications">Active medications</h3>
          {medications.length === 0 ? (
            <p>No active medications.</p>
          ) : (
            <ul className="list">
              {medications.map((m) => (
                <li key={m.requestId}>
                  <strong>{m.medication}</strong>
                  {m.dosage === null ? '' : ` — ${m.dosage}`}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      {mayRead(role, 'laboratory') ? (
        <section className="card" aria-labelledby="summary-labs">
          <h3 id="summary-labs">Latest labs</h3>
          {labs.length === 0 ? (
            <p>No lab results.</p>
          ) : (
            <ObservationTable caption="Latest lab results" observations={labs} nameOf={(o) => o.display ?? o.code} captionHidden />
          )}
        </section>
      ) : null}
      {mayRead(role, 'alerts') ? (
        <section className="card" aria-labelledby="summary-alerts">
          <h3 id="summary-alerts">Alerts</h3>
          {alerts.length === 0 ? (
            <p>No alerts.</p>
          ) : (
            <ul className="list">
              {alerts.map((a) => (
                <li key={a.id}>{a.text}</li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </div>
  );
}
