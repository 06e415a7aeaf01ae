// The Medications tab: the active orders with their dosage, and, for a role that documents
// administrations, a button to record a dose of an as-needed (PRN) order; a scheduled order's doses
// are recorded from their slots on the MAR, where the time check applies.
import { Button } from 'react-aria-components';
import type { PatientSummaryData } from '../../../../shared/contract/index.js';
import type { MedicationOrder } from '../documentation/administration-target.js';
import { formatDateTime } from '../../../../shared/display/index.js';

export function MedicationsTab(props: {
  medications: PatientSummaryData['medications'];
  onRecordAdministration: ((order: MedicationOrder) => void) | null;
}): React.JSX.Element {
  const { medications, onRecordAdministration } = props;
  if (medications.length === 0) return <p>No active medication orders.</p>;
  return (
    <table className="table">
      <caption>Active medication orders</caption>
      <thead>
        <tr>
          <th scope="col">Medication</th>
          <th scope="col">Dose, route and frequency</th>
          <th scope="col">Status</th>
          <th scope="col">Ordered</th>
          {onRecordAdministration === null ? null : <th scope="col">Document</th>}
        </tr>
      </thead>
      <tbody>
        {medications.map((m) => (
          <tr key={m.requestId}>
            <th scope="row">{m.medication}</th>
            <td>{m.dosage ?? 'See order'}</td>
            <td>{m.status}</td>
            <td>{formatDateTime(m.authoredOn)}</td>
            {onRecordAdministration === null ? null : (
              <td>
                {m.asNeeded ? (
                  <Button
                    className="button button--secondary"
                    onPress={() => onRecordAdministration(m)}
                    aria-label={`Record administration of ${m.medication}`}
                  >
                    Record administration
                  </Button>
                ) : (
                  <span className="muted">Scheduled: record each dose on the MAR</span>
                )}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
