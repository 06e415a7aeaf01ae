// The recorded vital signs or doses of a patient over the last days (chart:recorded-entries), newest
// first, each with its status: a corrected entry says so (its note names the earlier value, the
// reason and who changed it), an entry marked entered in error stays listed, struck through. A role
// that documents that kind, on a chart that may be documented here (not an emergency copy of a
// patient on another ward), may correct a vital sign or mark an entry entered in error (the dialog);
// the chart then shows the change at once, pending upload. When the hub takes an entry documented
// here, the list reloads, so it offers the hub's copy (its id and version) rather than the local one.
import { useEffect, useRef, useState } from 'react';
import { Button } from 'react-aria-components';
import type { RecordedEntryData } from '../../../../shared/contract/index.js';
import { formatDateTime } from '../../../../shared/display/index.js';
import type { StaffRole } from '../../../../shared/access/index.js';
import { call, hostApi } from '../../host-api.js';
import { AmendEntryDialog } from '../documentation/amend-entry-dialog.js';
import { isRolePermitted } from './role-permissions.js';
import { useChartRead } from './use-chart-read.js';

const DAY = 24 * 3_600_000;

const KINDS = {
  Observation: { title: 'Recorded vital signs', empty: 'No vital signs recorded in the last 3 days.', action: 'document:vital-signs' },
  MedicationAdministration: {
    title: 'Recorded doses',
    empty: 'No doses recorded in the last 3 days.',
    action: 'document:medication-administration',
  },
} as const;

const STATUS_TEXT: Readonly<Record<string, string>> = {
  corrected: 'Corrected',
  amended: 'Amended',
  'entered-in-error': 'Entered in error',
  'not-done': 'Not given',
};

export function RecordedEntries(props: {
  patientId: string;
  patientLabel: string;
  kind: RecordedEntryData['resourceType'];
  role: StaffRole;
  /** Whether the chart may be documented here (the summary's readOnly is null): no change is offered otherwise. */
  documentable: boolean;
  refreshKey: number;
  /** Grows when the hub takes an entry of this patient documented here (useDeliveries): the list reloads in place. */
  deliveries: number;
  onAmended: () => void;
}): React.JSX.Element {
  const { patientId, patientLabel, kind, role, documentable, refreshKey, deliveries, onAmended } = props;
  const [target, setTarget] = useState<RecordedEntryData | null>(null);
  // Reloaded in place (a refresh, one chart-read per opening) each time the chart's refreshKey moves: a sync, a save.
  const { loaded, refreshNow } = useChartRead(patientId, refreshKey, (refresh) => {
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const from = new Date(Date.now() - 3 * DAY).toISOString();
    return call(hostApi().chart.recordedEntries({ patientId, from, to, refresh }));
  });
  // A delivery replaced a local copy by the hub's (another id and version): show the record as it stands now.
  const followed = useRef(deliveries);
  useEffect(() => {
    if (followed.current === deliveries) return;
    followed.current = deliveries;
    refreshNow();
  }, [deliveries, refreshNow]);
  const meta = KINDS[kind];
  const mayAmend = documentable && isRolePermitted(role, meta.action);
  const headingId = `recorded-${kind}`;
  const entries = loaded.state === 'ready' ? loaded.value.filter((e) => e.resourceType === kind) : [];
  return (
    <section className="stack" aria-labelledby={headingId}>
      <h3 id={headingId}>{meta.title}</h3>
      {loaded.state === 'loading' ? <p role="status">Loading…</p> : null}
      {loaded.state === 'failed' ? <p className="message message--error">{loaded.error.message}</p> : null}
      {loaded.state === 'ready' && entries.length === 0 ? <p className="muted">{meta.empty}</p> : null}
      {entries.length > 0 ? (
        <div className="table-scroll">
          <table className="table table--dense">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">{kind === 'Observation' ? 'Vital sign' : 'Medication'}</th>
                <th scope="col">Value</th>
                <th scope="col">Status</th>
                <th scope="col">Notes</th>
                {mayAmend ? <th scope="col">Change</th> : null}
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => {
                const retracted = entry.status === 'entered-in-error';
                const name = `${entry.label} ${formatDateTime(entry.time)}`;
                return (
                  <tr key={entry.id} aria-label={`${name}${retracted ? ', entered in error' : ''}`}>
                    <td>{formatDateTime(entry.time)}</td>
                    <th scope="row">{retracted ? <s>{entry.label}</s> : entry.label}</th>
                    <td>{retracted ? <s>{entry.value ?? '—'}</s> : (entry.value ?? '—')}</td>
                    <td>
                      {STATUS_TEXT[entry.status] === undefined ? null : (
                        <span className={`badge${retracted ? ' badge--alert' : ''}`}>{STATUS_TEXT[entry.status]}</span>
                      )}
                    </td>
                    <td>{entry.notes.length === 0 ? null : entry.notes.join(' · ')}</td>
                    {mayAmend ? (
                      <td>
                        {entry.canCorrect || entry.canRetract ? (
                          <Button className="button" aria-label={`Correct or retract ${name}`} onPress={() => setTarget(entry)}>
                            {entry.canCorrect ? 'Correct…' : 'Entered in error…'}
                          </Button>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {mayAmend ? (
        <AmendEntryDialog
          patientId={patientId}
          patientLabel={patientLabel}
          entry={target}
          onClose={() => setTarget(null)}
          onSaved={onAmended}
        />
      ) : null}
    </section>
  );
}
