// The Problems tab: the active problem list with onset.
import type { PatientSummaryData } from '../../../../shared/contract/index.js';
import { formatCalendarDate } from '../../../../shared/display/index.js';

export function ProblemsTab({ problems }: { problems: PatientSummaryData['problems'] }): React.JSX.Element {
  if (problems.length === 0) return <p>No active problems recorded.</p>;
  return (
    <table className="table">
      <caption>Active problems</caption>
      <thead>
        <tr>
          <th scope="col">Problem</th>
          <th scope="col">Since</th>
          <th scope="col">Code</th>
        </tr>
      </thead>
      <tbody>
        {problems.map((p) => (
          <tr key={p.id}>
            <th scope="row">{p.text}</th>
            <td>{p.onset === null ? 'Not recorded' : formatCalendarDate(p.onset.slice(0, 10))}</td>
            <td>{p.code ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
