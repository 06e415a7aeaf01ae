// The second patient identifier at the bedside: a wristband scan (a USB scanner types the
// barcode's content fast and ends with Enter) or the MRN typed by the nurse. Enter confirms without
// submitting the form; a burst of keys faster than a person types counts as a scan.
import { useId, useRef } from 'react';
import type { ConfirmationMethod } from '../../../../shared/medication-safety/index.js';

/** A scanner types every key within this long of the previous one; a person does not. */
const SCANNER_KEY_GAP_MS = 40;

export function PatientConfirmField(props: {
  value: string;
  onChange: (value: string, method: ConfirmationMethod) => void;
  /** Enter pressed (the scanner's end, or the nurse's): check it now. */
  onConfirm: () => void;
  confirmed: boolean;
  error?: string | undefined;
  inputRef?: React.Ref<HTMLInputElement>;
}): React.JSX.Element {
  const { value, onChange, onConfirm, confirmed, error, inputRef } = props;
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const statusId = `${id}-status`;
  const lastKey = useRef<number | null>(null);
  const allFast = useRef(true);
  return (
    <div className="field">
      <label htmlFor={id}>Scan the wristband or type the MRN</label>
      <input
        id={id}
        ref={inputRef}
        className="input"
        value={value}
        autoComplete="off"
        spellCheck={false}
        maxLength={80}
        aria-invalid={error === undefined ? undefined : true}
        aria-describedby={[hintId, error === undefined ? statusId : errorId].join(' ')}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            onConfirm();
            return;
          }
          if (event.key.length !== 1) return;
          if (value === '') allFast.current = true;
          else if (lastKey.current !== null && event.timeStamp - lastKey.current > SCANNER_KEY_GAP_MS) allFast.current = false;
          lastKey.current = event.timeStamp;
        }}
        onChange={(event) => {
          const next = event.target.value;
          if (next === '') allFast.current = true;
          onChange(next, allFast.current && next.length >= 4 ? 'scan' : 'typed');
        }}
      />
      <p id={hintId} className="hint">
        Two identifiers: check the name and birth date above, then scan or type the MRN and press Enter.
      </p>
      {error !== undefined ? (
        <p id={errorId} className="field__error">
          {error}
        </p>
      ) : (
        <p id={statusId} className="hint" role="status">
          {confirmed ? 'Patient confirmed.' : ''}
        </p>
      )}
    </div>
  );
}
