// A patient's "data as of": when this workstation last brought the chart up to date with the hub,
// and how old that is against the policy's thresholds (shared/staleness), as a dot, a colour and
// words (colour is never the only signal). Full words in the chart banner; short ones in the census.
import { formatRecentTime } from '../../../../shared/display/index.js';
import { dataStaleness, type DataStaleness } from '../../../../shared/staleness/index.js';
import { dataStalenessClass, dataStalenessLabel } from '../../lib/staleness.js';
import { useHubConfirmsData, useStalenessThresholds } from '../../lib/staleness-thresholds.js';
import { useNow } from '../../shell/use-now.js';

const SHORT: Readonly<Record<DataStaleness, string>> = { fresh: '', amber: 'old', red: 'stale', 'never-synced': '' };

export function DataAsOf(props: { dataAsOf: string | null; compact?: boolean }): React.JSX.Element {
  const { dataAsOf, compact = false } = props;
  const now = useNow(30_000);
  const thresholds = useStalenessThresholds();
  const confirmed = useHubConfirmsData();
  const level = dataStaleness(dataAsOf, now, thresholds);
  const time = dataAsOf === null ? null : formatRecentTime(dataAsOf, new Date(now));
  const full = time === null ? 'Not loaded from the hub yet' : `${time} — ${dataStalenessLabel(level, thresholds, confirmed)}`;
  const short = time === null ? 'Not loaded' : SHORT[level] === '' ? time : `${time} ${SHORT[level]}`;
  return (
    <span className={dataStalenessClass(level, confirmed)} title={compact ? full : undefined}>
      <span className="staleness__dot" aria-hidden="true" />
      {compact ? (
        <>
          <span aria-hidden="true">{short}</span>
          <span className="visually-hidden">{full}</span>
        </>
      ) : (
        full
      )}
    </span>
  );
}
