// A labelled date-and-time field (the browser's datetime-local input, local time) for when a
// measurement or dose happened (the forms start it at now), or a filter's bound.
import { useId } from 'react';

export function TimeField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  required?: boolean;
  inputRef?: React.Ref<HTMLInputElement>;
}): React.JSX.Element {
  const { label, value, onChange, error, required = true, inputRef } = props;
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        ref={inputRef}
        className="input"
        type="datetime-local"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error === undefined ? undefined : true}
        aria-describedby={error === undefined ? undefined : errorId}
        required={required}
      />
      {error === undefined ? null : (
        <p id={errorId} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}
