// The conflicts screen: documentation from this workstation the hub refused or that met a newer
// version there, each with both versions side by side and the user's choice. The host lists every
// unresolved conflict (the banner counts the same list): one this user may not open is shown
// without its content, saying why. Patients are named from the ward census, or by the host for a
// patient who left the ward (discharged or transferred: marked so, kept on this workstation until
// the conflict is settled), or, when this workstation no longer holds the chart at all, by the
// patient record id the conflict carries; the list refreshes after each decision and on sync.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Button } from 'react-aria-components';
import type { CensusRowData, ConflictViewData, SessionViewData } from '../../../../shared/contract/index.js';
import { call, hostApi } from '../../host-api.js';
import { isRolePermitted } from '../chart/role-permissions.js';
import { useHostCall } from '../chart/use-host-call.js';
import { ConflictCard } from './conflict-card.js';
import '../../styles/chart.css';

function patientLabelOf(census: readonly CensusRowData[], conflict: ConflictViewData): string {
  const entry = census.find((e) => e.patientId === conflict.patientId);
  if (entry !== undefined) return `${entry.name}${entry.bed === null ? '' : ` (${entry.bed})`}`;
  if (conflict.patientName !== null) return conflict.patientName;
  if (!conflict.chartHeld) return `patient record ${conflict.patientId}`;
  return "a patient not on this ward's census";
}

export function ConflictsScreen({ session }: { session: SessionViewData }): React.JSX.Element {
  // A reload of the screen already shown (sync:changed, after a decision) says so: the host records
  // the chart-read of a patient once per opening (docs/AUDIT.md).
  const refresh = useRef(false);
  const { loaded, reload: load } = useHostCall('conflicts', () => {
    const again = refresh.current;
    refresh.current = false;
    return call(hostApi().conflict.list({ refresh: again }));
  });
  const reload = useCallback(() => {
    refresh.current = true;
    load();
  }, [load]);
  const mayCensus = isRolePermitted(session.role, 'census:read');
  const census = useHostCall(mayCensus ? 'census' : null, () => call(hostApi().chart.census()));
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => hostApi().sync.onChanged(() => reload()), [reload]);
  const names = census.loaded.state === 'ready' ? census.loaded.value : [];
  return (
    <section className="screen" aria-labelledby="conflicts-heading">
      <h2 id="conflicts-heading">Conflicts</h2>
      <p>Documentation from this workstation that the hub could not take as it was. Nothing is overwritten until you decide.</p>
      <p className="confirmation" role="status">
        {message ?? ''}
      </p>
      {loaded.state === 'loading' ? <p aria-live="polite">Loading conflicts…</p> : null}
      {loaded.state === 'failed' ? (
        <div role="alert">
          <p className="text-danger">{loaded.error.message}</p>
          <Button className="button button--secondary" onPress={reload}>
            Try again
          </Button>
        </div>
      ) : null}
      {loaded.state === 'ready' && loaded.value.length === 0 ? <p>There are no conflicts to settle.</p> : null}
      {loaded.state === 'ready'
        ? loaded.value.map((conflict) => (
            <ConflictCard
              key={conflict.conflictId}
              conflict={conflict}
              patientLabel={patientLabelOf(names, conflict)}
              onSettled={(text) => {
                setMessage(text);
                reload();
              }}
            />
          ))
        : null}
    </section>
  );
}
