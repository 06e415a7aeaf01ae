// The NEWS2 of a set of vitals as every screen shows it: the score, the band in words (readable
// without colour), "incomplete" when a parameter was not measured, and on entry the response the
// band asks for.
import {
  NEWS2_BAND_LABELS,
  NEWS2_BAND_RESPONSES,
  NEWS2_PARAMETER_LABELS,
  type News2Band,
  type News2Parameter,
} from '../../../../shared/vital-signs/index.js';
import '../../styles/vitals.css';

export interface News2Shown {
  readonly total: number;
  readonly band: News2Band;
  readonly complete: boolean;
  readonly missing?: readonly News2Parameter[];
}

/** "NEWS2 8, High" or "NEWS2 at least 3, incomplete". */
export function news2Label(score: News2Shown): string {
  return score.complete ? `NEWS2 ${score.total}, ${NEWS2_BAND_LABELS[score.band]}` : `NEWS2 at least ${score.total}, incomplete`;
}

export function News2Badge(props: {
  score: News2Shown;
  withResponse?: boolean;
  /** Without the word "NEWS2" (a column headed NEWS2); a screen reader still hears it. */
  compact?: boolean;
}): React.JSX.Element {
  const { score, withResponse = false, compact = false } = props;
  return (
    <span className="news2">
      <span className={`news2__badge news2__badge--${score.band}${score.complete ? '' : ' news2__badge--incomplete'}`}>
        {compact ? <span className="visually-hidden">NEWS2 </span> : 'NEWS2 '}
        {score.complete ? score.total : `≥ ${score.total}`}
        <span className="news2__band">{score.complete ? NEWS2_BAND_LABELS[score.band] : 'incomplete'}</span>
      </span>
      {withResponse ? (
        <span className="news2__response">
          {score.complete
            ? NEWS2_BAND_RESPONSES[score.band]
            : `Not yet scored: ${(score.missing ?? []).map((p) => NEWS2_PARAMETER_LABELS[p]).join(', ')} missing.`}
        </span>
      ) : null}
    </span>
  );
}
