// A result's abnormal flag shown as text and style ("H High"), or nothing for a normal result.
import { interpretationFlag } from './interpretation.js';

export function InterpretationBadge({ code }: { code: string | null }): React.JSX.Element | null {
  const flag = interpretationFlag(code);
  if (flag === null) return null;
  return (
    <span className={`interpretation interpretation--${flag.tone}`}>
      <abbr title={flag.label}>{flag.short}</abbr> {flag.label}
    </span>
  );
}
