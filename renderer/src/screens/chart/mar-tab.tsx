// The MAR tab: one row per active order, with its doses from 24 hours ago to 24 hours ahead —
// given, given late, held, due, not recorded — each as text and colour. A role that documents
// administrations records a scheduled dose from its slot (the scheduled time goes with it, so the
// time check applies); only an as-needed (PRN) order is recorded from the order itself. A slot
// holding more than one dose (a dose recorded in downtime and another at the hub meet only after
// the sync) is flagged above the order's doses. The record reloads in place (a refresh) each time
// the chart's refreshKey moves, after a sync or a save, with its period read again around now: a
// dose a colleague recorded shows, and its slot offers no Record.
import { useState } from 'react';
import { Button } from 'react-aria-components';
import type { MarRowData } from '../../../../shared/contract/index.js';
import { call, hostApi } from '../../host-api.js';
import { formatDayTime, windowAround } from '../../../../shared/display/index.js';
import { marCells, marSlotAlerts, marStateText, type MarCell } from './mar-schedule.js';
import type { AdministrationTarget } from '../documentation/administration-target.js';
import { useChartRead } from './use-chart-read.js';

const DAY = 24 * 3_600_000;

function cellDetail(cell: MarCell): string {
  const parts: string[] = [];
  if (cell.administeredAt !== null && cell.kind !== 'held') parts.push(`at ${formatDayTime(cell.administeredAt)}`);
  if (cell.dose !== null) parts.push(cell.dose);
  if (cell.reason !== null) parts.push(cell.reason);
  if (cell.performer !== null) parts.push(`by ${cell.performer}`);
  return parts.join(' · ');
}

export function MarTab(props: {
  patientId: string;
  refreshKey: number;
  onRecord: ((target: AdministrationTarget) => void) | null;
}): React.JSX.Element {
  const { patientId, refreshKey, onRecord } = props;
  const [shiftDays, setShiftDays] = useState(0);
  // Each load reads the clock: the period and which doses are due go with the answer.
  const { loaded } = useChartRead(`${patientId}|${shiftDays}`, refreshKey, async (refresh) => {
    const now = new Date();
    const { from, to } = windowAround(new Date(now.getTime() + shiftDays * DAY), DAY, DAY);
    const rows = await call(hostApi().chart.mar({ patientId, from, to, refresh }));
    return { rows, from, to, nowMs: now.getTime() };
  });
  const shown = loaded.state === 'ready' ? loaded.value : null;
  const rows = shown?.rows ?? [];
  return (
    <div className="mar">
      <div className="toolbar" role="group" aria-label="MAR period">
        <Button className="button" onPress={() => setShiftDays((d) => d - 1)}>
          Earlier 24 hours
        </Button>
        <Button className="button" onPress={() => setShiftDays(0)} isDisabled={shiftDays === 0}>
          Back to now
        </Button>
        <Button className="button" onPress={() => setShiftDays((d) => d + 1)} isDisabled={shiftDays >= 0}>
          Later 24 hours
        </Button>
        {shown === null ? null : (
          <p className="toolbar__text">
            Showing {formatDayTime(shown.from)} to {formatDayTime(shown.to)}
          </p>
        )}
      </div>
      <MarLegend />
      {loaded.state === 'loading' ? <p aria-live="polite">Loading the medication administration record…</p> : null}
      {loaded.state === 'failed' ? (
        <p role="alert" className="text-danger">
          {loaded.error.message}
        </p>
      ) : null}
      {loaded.state === 'ready' && rows.length === 0 ? <p>No active medication orders.</p> : null}
      {shown !== null && rows.length > 0 ? (
        <table className="table mar__table">
          <caption>Medication administration record</caption>
          <thead>
            <tr>
              <th scope="col">Medication</th>
              <th scope="col">Doses</th>
              {onRecord === null ? null : <th scope="col">Document</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <MarRow
                key={row.medication.requestId}
                row={row}
                fromMs={Date.parse(shown.from)}
                toMs={Date.parse(shown.to)}
                nowMs={shown.nowMs}
                onRecord={onRecord}
              />
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

function MarRow(props: {
  row: MarRowData;
  fromMs: number;
  toMs: number;
  nowMs: number;
  onRecord: ((target: AdministrationTarget) => void) | null;
}): React.JSX.Element {
  const { row, fromMs, toMs, nowMs, onRecord } = props;
  const cells = marCells(row, fromMs, toMs, nowMs);
  const alerts = marSlotAlerts(row, fromMs, toMs);
  const order = row.medication;
  return (
    <tr>
      <th scope="row">
        <span className="mar__drug">{order.medication}</span>
        <span className="mar__dosage">{order.dosage ?? 'See order'}</span>
      </th>
      <td>
        {alerts.map((alert) => (
          <p key={alert.key} className="mar__alert" role="alert">
            {alert.text}
          </p>
        ))}
        {cells.length === 0 ? (
          <span className="muted">No doses in this period</span>
        ) : (
          <ul className="mar__doses">
            {cells.map((cell) => (
              <li key={cell.key} className={`dose dose--${cell.kind}`}>
                <span className="dose__time">
                  {cell.scheduledAt === null ? (order.asNeeded ? 'As needed' : 'Unscheduled dose') : formatDayTime(cell.scheduledAt)}
                </span>
                <span className="dose__state">{marStateText(cell.kind)}</span>
                {cellDetail(cell).length > 0 ? <span className="dose__detail">{cellDetail(cell)}</span> : null}
                {onRecord !== null && (cell.kind === 'due' || cell.kind === 'not-recorded') ? (
                  <Button
                    className="button button--small"
                    onPress={() => onRecord({ order, scheduledAt: cell.scheduledAt })}
                    aria-label={`Record ${order.medication} dose due ${formatDayTime(cell.scheduledAt)}`}
                  >
                    Record
                  </Button>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </td>
      {onRecord === null ? null : (
        <td>
          {order.asNeeded ? (
            <Button
              className="button button--secondary"
              onPress={() => onRecord({ order, scheduledAt: null })}
              aria-label={`Record administration of ${order.medication}`}
            >
              Record administration
            </Button>
          ) : (
            <span className="muted">Scheduled: record each dose from its time</span>
          )}
        </td>
      )}
    </tr>
  );
}

function MarLegend(): React.JSX.Element {
  const kinds = ['given', 'late', 'held', 'due', 'not-recorded'] as const;
  return (
    <ul className="mar__legend" aria-label="What the dose states mean">
      {kinds.map((kind) => (
        <li key={kind} className={`dose dose--${kind}`}>
          <span className="dose__state">{marStateText(kind)}</span>
        </li>
      ))}
    </ul>
  );
}
