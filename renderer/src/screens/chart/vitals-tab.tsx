// The Vital signs tab: a window selector (24 hours, 72 hours, 7 days) and one plot with its table
// per vital sign, after the NEWS2 of each round. The window is fixed when the tab opens or the choice changes, so every plot and
// its table show the same period. The chart's refreshKey (a sync, a save) moves the window's end to
// now and reloads every plot in place.
import { useMemo, useState } from 'react';
import { windowAround } from '../../../../shared/display/index.js';
import { ChoiceGroup } from './choice-group.js';
import { News2Trend } from './news2-trend.js';
import { VitalTrend } from './vital-trend.js';
import { PLOTTED_VITALS } from './vital-definitions.js';

const HOUR = 3_600_000;

export const TREND_WINDOWS = [
  { id: '24h', label: '24 hours', spoken: 'last 24 hours', ms: 24 * HOUR },
  { id: '72h', label: '72 hours', spoken: 'last 72 hours', ms: 72 * HOUR },
  { id: '7d', label: '7 days', spoken: 'last 7 days', ms: 7 * 24 * HOUR },
] as const;

type WindowId = (typeof TREND_WINDOWS)[number]['id'];

export function VitalsTab({ patientId, refreshKey }: { patientId: string; refreshKey: number }): React.JSX.Element {
  const [windowId, setWindowId] = useState<WindowId>('24h');
  const choice = TREND_WINDOWS.find((w) => w.id === windowId) ?? TREND_WINDOWS[0];
  // refreshKey moves the window's end to now after a sync or a save: a trigger, not an input.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const { from, to } = useMemo(() => windowAround(new Date(), choice.ms, 5 * 60_000), [choice.ms, refreshKey]);
  return (
    <div className="stack">
      <ChoiceGroup label="Show the last" choices={TREND_WINDOWS} value={windowId} onChange={setWindowId} />
      <News2Trend patientId={patientId} from={from} to={to} windowLabel={choice.spoken} refreshKey={refreshKey} />
      <div className="trend-grid">
        {PLOTTED_VITALS.map((vital) => (
          <VitalTrend
            key={vital.code}
            patientId={patientId}
            vital={vital}
            from={from}
            to={to}
            windowLabel={choice.spoken}
            refreshKey={refreshKey}
          />
        ))}
      </div>
    </div>
  );
}
