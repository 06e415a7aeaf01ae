// One vital sign typed as text (decimal comma or point, read by locale), with its unit and range as
// a hint, its abnormal flag beside it as soon as it reads as a number, and the error that names it.
import { useId, type Ref } from 'react';
import type { VitalFlag } from '../../../../shared/vital-signs/index.js';
import type { VitalFieldDefinition } from './vitals-entry.js';

export function VitalValueField(props: {
  field: VitalFieldDefinition;
  value: string;
  onChange: (value: string) => void;
  flag: VitalFlag | undefined;
  error: string | undefined;
  inputRef: Ref<HTMLInputElement>;
  autoFocus?: boolean;
}): React.JSX.Element {
  const { field, value, onChange, flag, error, inputRef, autoFocus = false } = props;
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const flagId = `${id}-flag`;
  const describedBy = [hintId, flag === undefined ? null : flagId, error === undefined ? null : errorId]
    .filter((x) => x !== null)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{field.label}</label>
      <span className="vital-field__input">
        <input
          id={id}
          ref={inputRef}
          className="vital-field__value"
          type="text"
          inputMode={field.decimals === 0 ? 'numeric' : 'decimal'}
          autoComplete="off"
          autoFocus={autoFocus}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          aria-invalid={error === undefined ? undefined : true}
          aria-describedby={describedBy}
        />
        {flag === undefined ? null : (
          <span id={flagId} className={`vital-flag vital-flag--${flag.level}`}>
            {flag.text}
          </span>
        )}
      </span>
      <span id={hintId} className="hint">
        {field.unit}, {field.min} to {field.max}
      </span>
      {error === undefined ? null : (
        <span id={errorId} className="vital-field__error">
          {error}
        </span>
      )}
    </div>
  );
}
