// A labelled date-and-time field (the browser's datetime-local input, local time) for when a
// measurement or dose happened (the forms start it at now), or a filter's bound.
import { useId } from 'react';

export function TimeField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  required?: boolean;
}): React.JSX.Element {
  const { label, value, onChange, error, required = true } = props;
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
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
