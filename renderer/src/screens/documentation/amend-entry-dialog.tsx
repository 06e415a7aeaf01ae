// "Correct or retract": a modal form → chart:amend. A vital sign can be corrected in value (typed with
// a decimal comma or point, read by locale) or marked entered in error; a dose is only marked entered
// in error (the right dose is then recorded through the administration dialog). A coded reason is
// required (the contract's one list), and a note when the reason is "other". The change is sent to
// the hub on the version shown; if someone changed it there meanwhile, it becomes a conflict.
import { useRef, useState } from 'react';
import { Button, FieldError, Form, Heading, Input, Label, TextArea, TextField } from 'react-aria-components';
import { DocumentationModal } from './documentation-modal.js';
import { AMENDMENT_REASONS, type AmendmentReason, type RecordedEntryData } from '../../../../shared/contract/index.js';
import { formatDateTime } from '../../../../shared/display/index.js';
import { parseDecimal } from '../../../../shared/vital-signs/index.js';
import { call, hostApi } from '../../host-api.js';
import { ChoiceGroup } from '../chart/choice-group.js';
import { asHostError } from '../chart/use-host-call.js';

type Action = 'correct' | 'entered-in-error';
type Field = RecordedEntryData['fields'][number];

const FIELD_LABELS: Readonly<Record<Field, string>> = {
  value: 'Corrected value',
  systolic: 'Systolic (mmHg)',
  diastolic: 'Diastolic (mmHg)',
};
const ACTION_CHOICES = [
  { id: 'correct', label: 'Correct the value' },
  { id: 'entered-in-error', label: 'Entered in error' },
] as const;
const REASON_CHOICES = AMENDMENT_REASONS.map((r) => ({ id: r.code, label: r.label }));

const locale = (): string => (typeof navigator === 'undefined' ? 'en-GB' : navigator.language);

export function AmendEntryDialog(props: {
  patientId: string;
  patientLabel: string;
  entry: RecordedEntryData | null;
  onClose: () => void;
  onSaved: () => void;
}): React.JSX.Element {
  const { entry, onClose } = props;
  return (
    <DocumentationModal isOpen={entry !== null} onClose={onClose} labelledBy="amend-entry-title">
      {entry !== null ? <AmendForm {...props} entry={entry} /> : null}
    </DocumentationModal>
  );
}

function AmendForm({
  patientId,
  patientLabel,
  entry,
  onClose,
  onSaved,
}: {
  patientId: string;
  patientLabel: string;
  entry: RecordedEntryData;
  onClose: () => void;
  onSaved: () => void;
}): React.JSX.Element {
  const [action, setAction] = useState<Action>(entry.canCorrect ? 'correct' : 'entered-in-error');
  const [texts, setTexts] = useState<Partial<Record<Field, string>>>({});
  const [reason, setReason] = useState<AmendmentReason | null>(null);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<{ values?: string; reason?: string; note?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const firstValue = useRef<HTMLInputElement>(null);

  const save = (): void => {
    const found: typeof errors = {};
    const values: Partial<Record<Field, number>> = {};
    if (action === 'correct') {
      for (const field of entry.fields) {
        const reading = parseDecimal(texts[field] ?? '', locale());
        if (reading.ok) values[field] = reading.value;
        else found.values = `${FIELD_LABELS[field]}: ${reading.message}`;
      }
    }
    if (reason === null) found.reason = 'Choose why this record is changed.';
    if (reason === 'other' && note.trim() === '') found.note = 'Say why in the note.';
    setErrors(found);
    if (Object.keys(found).length > 0 || reason === null) {
      if (found.values !== undefined) firstValue.current?.focus();
      return;
    }
    const base = {
      patientId,
      resourceType: entry.resourceType,
      id: entry.id,
      versionId: entry.versionId,
      reason,
      ...(note.trim() === '' ? {} : { note: note.trim() }),
    };
    setBusy(true);
    setFailure(null);
    call(hostApi().chart.amend(action === 'correct' ? { ...base, action: 'correct', values } : { ...base, action: 'entered-in-error' }))
      .then(() => {
        onSaved();
        onClose();
      })
      .catch((error: unknown) => {
        setFailure(asHostError(error).message);
        setBusy(false);
      });
  };

  return (
    <>
      <Heading slot="title" id="amend-entry-title">
        Correct or retract an entry
      </Heading>
      <p className="dialog__patient">For {patientLabel}</p>
      <p>
        {entry.label}: <strong>{entry.value ?? '—'}</strong>, {formatDateTime(entry.time)}
        {entry.recordedBy === null ? null : `, recorded by ${entry.recordedBy}`}
      </p>
      <Form
        className="form"
        validationBehavior="aria"
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
      >
        {entry.canCorrect ? (
          <ChoiceGroup label="What is wrong?" choices={ACTION_CHOICES} value={action} onChange={setAction} />
        ) : (
          <p className="hint">A recorded dose is not edited: mark it entered in error, then record the right dose from the MAR.</p>
        )}
        {action === 'correct'
          ? entry.fields.map((field, index) => (
              <TextField
                key={field}
                className="field"
                value={texts[field] ?? ''}
                onChange={(text) => setTexts((t) => ({ ...t, [field]: text }))}
                isInvalid={errors.values !== undefined}
                autoFocus={index === 0}
              >
                <Label>{FIELD_LABELS[field]}</Label>
                <Input ref={index === 0 ? firstValue : undefined} className="input" inputMode="decimal" autoComplete="off" />
              </TextField>
            ))
          : null}
        {errors.values === undefined ? null : <p className="field__error">{errors.values}</p>}
        <ChoiceGroup
          label="Reason"
          choices={REASON_CHOICES}
          value={reason}
          onChange={setReason}
          error={errors.reason}
          orientation="vertical"
        />
        <TextField className="field" value={note} onChange={setNote} isInvalid={errors.note !== undefined} maxLength={500}>
          <Label>Note (kept on the record)</Label>
          <TextArea className="input input--textarea" rows={2} />
          <FieldError className="field__error">{errors.note}</FieldError>
        </TextField>
        {failure !== null ? (
          <p role="alert" className="message message--error" tabIndex={-1}>
            {failure}
          </p>
        ) : null}
        <div className="actions">
          <Button type="submit" className="button button--primary" isDisabled={busy}>
            {action === 'correct' ? 'Save correction' : 'Mark entered in error'}
          </Button>
          <Button className="button" onPress={onClose}>
            Cancel
          </Button>
        </div>
      </Form>
    </>
  );
}
