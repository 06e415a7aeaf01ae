// NEWS2 in the Vital signs tab: the score and band of each round in the window, newest first, as a
// table (readable without colour), from the same trends the plots show.
import { formatDateTime } from '../../../../shared/display/index.js';
import { call, hostApi } from '../../host-api.js';
import { News2Badge } from './news2-badge.js';
import { news2Rounds, NEWS2_TREND_CODES } from './news2-rounds.js';
import { useChartRead } from './use-chart-read.js';

const SHOWN_ROUNDS = 12;

export function News2Trend(props: {
  patientId: string;
  from: string;
  to: string;
  windowLabel: string;
  refreshKey: number;
}): React.JSX.Element {
  const { patientId, from, to, windowLabel, refreshKey } = props;
  const { loaded } = useChartRead(`${patientId}|news2|${windowLabel}`, refreshKey, (refresh) =>
    Promise.all(
      NEWS2_TREND_CODES.map((code) =>
        call(hostApi().chart.trend({ patientId, code, from, to, refresh })).then((points) => ({ code, points })),
      ),
    ),
  );
  const rounds = loaded.state === 'ready' ? news2Rounds(loaded.value).slice(0, SHOWN_ROUNDS) : [];
  return (
    <section className="card news2-trend" aria-labelledby="news2-trend-heading">
      <h3 id="news2-trend-heading">NEWS2 by round</h3>
      {loaded.state === 'loading' ? <p aria-live="polite">Loading NEWS2…</p> : null}
      {loaded.state === 'failed' ? (
        <p role="alert" className="message message--error">
          {loaded.error.message}
        </p>
      ) : null}
      {loaded.state === 'ready' && rounds.length === 0 ? <p>No scored vital signs in the {windowLabel}.</p> : null}
      {rounds.length > 0 ? (
        <table className="news2-trend__table">
          <caption className="visually-hidden">NEWS2 of each round of vital signs in the {windowLabel}, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Measured</th>
              <th scope="col">NEWS2</th>
            </tr>
          </thead>
          <tbody>
            {rounds.map((round) => (
              <tr key={round.at}>
                <td>{formatDateTime(round.at)}</td>
                <td>
                  <News2Badge score={round.score} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
