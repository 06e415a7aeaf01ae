// One vital sign over the chosen window: a line plot (recharts) and, for screen readers and anyone
// who prefers numbers, the same readings as a table. Loads its own chart:trend when shown, and again
// (a refresh, in place) each time the chart's refreshKey moves: a sync or a save.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { call, hostApi } from '../../host-api.js';
import { formatDateTime, formatTick } from '../../../../shared/display/index.js';
import { timeTicks, trendRows, valueAxis, type TrendRow } from './trend-series.js';
import { useChartRead } from './use-chart-read.js';
import type { VitalDefinition } from './vital-definitions.js';

// The plot's colours are tokens (styles/tokens.css), read by the SVG through var().
const LINE_COLOURS = { value: 'var(--plot-line)', systolic: 'var(--plot-line-second)', diastolic: 'var(--plot-line)' } as const;

function valueOf(row: TrendRow, vital: VitalDefinition): string {
  const fixed = (v: number | undefined): string => (v === undefined ? '—' : v.toFixed(vital.decimals));
  if (vital.components !== undefined) return `${fixed(row.systolic)}/${fixed(row.diastolic)} ${vital.unit}`;
  return `${fixed(row.value)} ${vital.unit}`;
}

export function VitalTrend(props: {
  patientId: string;
  vital: VitalDefinition;
  from: string;
  to: string;
  windowLabel: string;
  refreshKey: number;
}): React.JSX.Element {
  const { patientId, vital, from, to, windowLabel, refreshKey } = props;
  const headingId = `vital-${vital.code}`;
  const { loaded } = useChartRead(`${patientId}|${vital.code}|${windowLabel}`, refreshKey, (refresh) =>
    call(hostApi().chart.trend({ patientId, code: vital.code, from, to, refresh })),
  );
  const rows = loaded.state === 'ready' ? trendRows(loaded.value, vital) : [];
  const latest = rows[rows.length - 1];
  const description =
    loaded.state !== 'ready'
      ? ''
      : rows.length === 0
        ? `No ${vital.label.toLowerCase()} readings in the ${windowLabel}.`
        : `${rows.length} reading${rows.length === 1 ? '' : 's'} in the ${windowLabel}; latest ${valueOf(latest!, vital)} at ${formatDateTime(latest!.time)}.`;
  const fromMs = Date.parse(from);
  const toMs = Date.parse(to);
  const axis = valueAxis(rows);
  return (
    <section className="card trend" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {vital.label} <span className="unit">({vital.unit})</span>
      </h3>
      {loaded.state === 'loading' ? <p aria-live="polite">Loading {vital.label.toLowerCase()}…</p> : null}
      {loaded.state === 'failed' ? (
        <p role="alert" className="text-danger">
          {loaded.error.message}
        </p>
      ) : null}
      {loaded.state === 'ready' ? (
        <>
          <p className="trend__summary">{description}</p>
          {rows.length > 0 ? (
            <div className="trend__plot" role="img" aria-label={`${vital.label} plot: ${description}`}>
              <ResponsiveContainer width="100%" height={vital.components === undefined ? 200 : 224}>
                <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 0 }} accessibilityLayer={false}>
                  <CartesianGrid stroke="var(--plot-grid)" strokeDasharray="3 3" />
                  <XAxis
                    dataKey="t"
                    type="number"
                    scale="time"
                    domain={[fromMs, toMs]}
                    ticks={timeTicks(fromMs, toMs)}
                    tickFormatter={(t: number) => formatTick(t, toMs - fromMs)}
                    stroke="var(--plot-axis)"
                  />
                  <YAxis domain={axis?.domain ?? ['auto', 'auto']} ticks={axis?.ticks} stroke="var(--plot-axis)" width={48} />
                  <Tooltip labelFormatter={(t) => formatDateTime(new Date(Number(t)).toISOString())} />
                  {vital.components !== undefined ? <Legend verticalAlign="top" height={24} /> : null}
                  {vital.components !== undefined ? (
                    vital.components.map((c) => (
                      <Line
                        key={c.key}
                        dataKey={c.key}
                        name={c.label}
                        type="linear"
                        stroke={LINE_COLOURS[c.key]}
                        strokeWidth={2}
                        dot={{ r: 3 }}
                        isAnimationActive={false}
                        connectNulls
                      />
                    ))
                  ) : (
                    <Line
                      dataKey="value"
                      name={vital.label}
                      type="linear"
                      stroke={LINE_COLOURS.value}
                      strokeWidth={2}
                      dot={{ r: 3 }}
                      isAnimationActive={false}
                    />
                  )}
                </LineChart>
              </ResponsiveContainer>
            </div>
          ) : null}
          {rows.length > 0 ? (
            <details className="trend__table">
              <summary>Show {vital.label.toLowerCase()} readings as a table</summary>
              <table className="table">
                <caption>
                  {vital.label} readings, {windowLabel}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    {vital.components !== undefined ? (
                      vital.components.map((c) => (
                        <th key={c.key} scope="col">
                          {c.label} ({vital.unit})
                        </th>
                      ))
                    ) : (
                      <th scope="col">
                        {vital.label} ({vital.unit})
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {[...rows].reverse().map((row) => (
                    <tr key={row.t}>
                      <th scope="row">{formatDateTime(row.time)}</th>
                      {vital.components !== undefined ? (
                        vital.components.map((c) => (
                          <td key={c.key} className="num">
                            {row[c.key]?.toFixed(vital.decimals) ?? '—'}
                          </td>
                        ))
                      ) : (
                        <td className="num">{row.value?.toFixed(vital.decimals) ?? '—'}</td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
