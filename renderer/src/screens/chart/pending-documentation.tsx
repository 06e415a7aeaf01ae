// What this workstation documented for the patient that the hub does not hold yet (chart:pending):
// "Pending upload" badges, and "Conflict — needs your decision" leading to the conflicts screen;
// and, below, what the hub confirmed lately ("Delivered"), so the nurse sees her entry arrive.
// Refreshed after each recording (reload) and whenever the sync status changes; a new delivery
// tells the chart's recorded-entries lists to reload (useDeliveries). The chart's "saved"
// notice follows the same list (savedNotice), so it never says "pending upload" beside "Delivered".
// What waits is counted in the banner's words (lib/waiting-words.ts), for this patient.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Button } from 'react-aria-components';
import type { PendingDocumentationData } from '../../../../shared/contract/index.js';
import { call, hostApi } from '../../host-api.js';
import { requestView } from '../../lib/view-request.js';
import { formatDateTime } from '../../../../shared/display/index.js';
import { patientWaitingWords } from '../../lib/waiting-words.js';
import { useHostCall, type Loaded } from './use-host-call.js';

const KIND_TEXT: Readonly<Record<PendingDocumentationData['kind'], string>> = {
  'vital-signs': 'Vital signs',
  'medication-administration': 'Medication administration',
  note: 'Note',
  amendment: 'Correction',
};

export function usePendingDocumentation(patientId: string): { pending: Loaded<PendingDocumentationData[]>; reloadPending: () => void } {
  // A reload of the list already shown (sync:changed, a local write) says so: the host records the
  // chart-read of a view once per opening (docs/AUDIT.md).
  const refresh = useRef(false);
  const { loaded, reload } = useHostCall(patientId, () => {
    const again = refresh.current;
    refresh.current = false;
    return call(hostApi().chart.pending({ patientId, refresh: again }));
  });
  const reloadPending = useCallback(() => {
    refresh.current = true;
    reload();
  }, [reload]);
  useEffect(() => hostApi().sync.onChanged(() => reloadPending()), [reloadPending]);
  return { pending: loaded, reloadPending };
}

/**
 * How many of the patient's entries the hub has taken since the chart opened: it grows when a load
 * of the list shows an entry delivered that the last load did not. On delivery the workstation's
 * copy of what was documented gives way to the hub's (under the hub's id and version), so the
 * chart's lists of recorded entries reload on it and offer the record as it now stands.
 */
export function useDeliveries(pending: Loaded<PendingDocumentationData[]>): number {
  const seen = useRef<ReadonlySet<string> | null>(null);
  const [deliveries, setDeliveries] = useState(0);
  useEffect(() => {
    if (pending.state !== 'ready') return;
    const delivered = new Set(pending.value.filter((item) => item.status === 'delivered').map((item) => item.entryId));
    const before = seen.current;
    seen.current = delivered;
    if (before !== null && [...delivered].some((entryId) => !before.has(entryId))) setDeliveries((n) => n + 1);
  }, [pending]);
  return deliveries;
}

/** What the chart last saved here, and the pending list as it stood then (only later loads count). */
export interface SavedEntry {
  readonly what: string;
  readonly pendingAtSave: Loaded<PendingDocumentationData[]>;
}

/**
 * The notice after a save, kept true as uploads go: "pending upload" until a load of the patient's
 * list made after the save shows nothing waiting (then "delivered to the hub"). A conflict keeps it
 * at "pending upload"; the list below it says which entry needs a decision.
 */
export function savedNotice(saved: SavedEntry | null, pending: Loaded<PendingDocumentationData[]>): string {
  if (saved === null) return '';
  const head = `${saved.what} saved on this workstation`;
  if (pending === saved.pendingAtSave || pending.state !== 'ready') return `${head} — pending upload.`;
  if (pending.value.some((item) => item.status !== 'delivered')) return `${head} — pending upload.`;
  return `${head} — delivered to the hub.`;
}

export function PendingDocumentation({ pending }: { pending: Loaded<PendingDocumentationData[]> }): React.JSX.Element | null {
  const [unrouted, setUnrouted] = useState(false);
  if (pending.state !== 'ready' || pending.value.length === 0) return null;
  const waiting = pending.value.filter((item) => item.status !== 'delivered');
  const delivered = pending.value.filter((item) => item.status === 'delivered');
  return (
    <>
      {waiting.length > 0 ? (
        <section className="pending" aria-labelledby="pending-heading">
          <h3 id="pending-heading">Documented here, not yet on the hub ({waiting.length})</h3>
          <p className="muted">
            {patientWaitingWords(
              waiting.filter((item) => item.status === 'pending-upload').length,
              waiting.filter((item) => item.status === 'conflict').length,
            )}
          </p>
          <ul className="pending__list">
            {waiting.map((item) => (
              <li key={item.entryId} className="pending__item">
                <span>
                  {KIND_TEXT[item.kind]} recorded {formatDateTime(item.recordedAt)}
                </span>
                {item.status === 'conflict' ? (
                  <Button className="badge badge--conflict badge--button" onPress={() => setUnrouted(!requestView('conflicts'))}>
                    Conflict — needs your decision
                  </Button>
                ) : (
                  <span className="badge badge--pending">Pending upload</span>
                )}
                {item.status === 'pending-upload' && item.lastError !== null ? (
                  <span className="muted">The last upload did not go through; it will be tried again.</span>
                ) : null}
              </li>
            ))}
          </ul>
          {unrouted ? (
            <p className="muted" role="status">
              Open Conflicts in the top bar to decide.
            </p>
          ) : null}
        </section>
      ) : null}
      {delivered.length > 0 ? (
        <section className="pending pending--delivered" aria-labelledby="delivered-heading">
          <h3 id="delivered-heading">Documented here, now on the hub ({delivered.length})</h3>
          <ul className="pending__list">
            {delivered.map((item) => (
              <li key={item.entryId} className="pending__item">
                <span>
                  {KIND_TEXT[item.kind]} recorded {formatDateTime(item.recordedAt)}
                </span>
                <span className="badge badge--delivered">Delivered</span>
                {item.deliveredAt !== null ? <span className="muted">the hub confirmed it {formatDateTime(item.deliveredAt)}</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
