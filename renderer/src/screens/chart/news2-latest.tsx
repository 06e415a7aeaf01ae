// The NEWS2 a list or banner leads with (the host's News2Summary): the latest complete round's
// score and band with when it was measured, and beside it a newer round that is incomplete (its
// lower bound, in its own band's colour, and when), so one pulse charted after a round never hides
// the round's score. Compact in a census cell; in full, with the band's response and what the newer
// round lacks, in the chart's summary.
import type { News2Summary } from '../../../../shared/vital-signs/index.js';
import { formatDateTime, formatRecentTime } from '../../../../shared/display/index.js';
import { News2Badge } from './news2-badge.js';

export function News2Latest(props: {
  news2: News2Summary;
  /** The census's clock (times of today read as "14:05"); without it, full dates. */
  now?: number;
  full?: boolean;
}): React.JSX.Element {
  const { news2, now, full = false } = props;
  const time = (iso: string): string => (full || now === undefined ? formatDateTime(iso) : formatRecentTime(iso, new Date(now)));
  const newer = news2.newerIncomplete;
  return (
    <span className={`news2-latest${full ? ' news2-latest--full' : ''}`}>
      <span className="news2-latest__shown">
        <News2Badge score={news2} compact={!full} withResponse={full} />{' '}
        <span className="news2-latest__at">
          {full ? null : <span className="visually-hidden">measured </span>}
          {full ? `measured ${time(news2.at)}` : time(news2.at)}
        </span>
      </span>
      {newer === null ? null : (
        <span className="news2-latest__newer">
          {full ? (
            `Newer set, measured ${time(newer.at)}: `
          ) : (
            <>
              <span className="visually-hidden">newer set, measured </span>
              {time(newer.at)}{' '}
            </>
          )}
          <News2Badge score={newer} compact={!full} withResponse={full} />
        </span>
      )}
    </span>
  );
}
