// "Record vital signs": a modal form → chart:record-vitals. Values are typed with a decimal comma or
// point (read by the workstation's locale), air or oxygen with its flow and ACVPU are asked for NEWS2,
// each value shows its abnormal flag and the set its NEWS2 and escalation band as it is entered. The
// dialog lands on its first field and, after a failed save, on the first field in error. The set goes
// to this workstation's outbox; the chart then shows it as pending upload.
import { useRef, useState } from 'react';
import { Button, Form, Heading } from 'react-aria-components';
import { DocumentationModal } from './documentation-modal.js';
import { CONSCIOUSNESS_LABELS, CONSCIOUSNESS_LEVELS, type Consciousness } from '../../../../shared/vital-signs/index.js';
import { fromLocalInputValue, localInputValue } from '../../../../shared/display/index.js';
import { call, hostApi } from '../../host-api.js';
import { ChoiceGroup } from '../chart/choice-group.js';
import { asHostError } from '../chart/use-host-call.js';
import { News2Badge } from '../chart/news2-badge.js';
import { TimeField } from './time-field.js';
import { VitalValueField } from './vital-value-field.js';
import {
  checkVitals,
  EMPTY_VITALS,
  firstFieldInError,
  OXYGEN_FLOW_FIELD,
  VITAL_FIELDS,
  vitalsPreview,
  type VitalField,
  type VitalsFieldKey,
  type VitalsFormValues,
} from './vitals-entry.js';
import '../../styles/vitals.css';

export function RecordVitalsDialog(props: {
  patientId: string;
  patientLabel: string;
  isOpen: boolean;
  onClose: () => void;
  onSaved: () => void;
}): React.JSX.Element {
  const { isOpen, onClose } = props;
  return (
    <DocumentationModal isOpen={isOpen} onClose={onClose} labelledBy="record-vitals-title" wide>
      <VitalsForm {...props} />
    </DocumentationModal>
  );
}

const OXYGEN_CHOICES = [
  { id: 'air', label: 'Air' },
  { id: 'oxygen', label: 'Oxygen' },
] as const;

const CONSCIOUSNESS_CHOICES = CONSCIOUSNESS_LEVELS.map((id) => ({ id, label: CONSCIOUSNESS_LABELS[id] }));

const locale = (): string => (typeof navigator === 'undefined' ? 'en-GB' : navigator.language);

function VitalsForm({
  patientId,
  patientLabel,
  onClose,
  onSaved,
}: {
  patientId: string;
  patientLabel: string;
  onClose: () => void;
  onSaved: () => void;
}): React.JSX.Element {
  const [form, setForm] = useState<VitalsFormValues>(EMPTY_VITALS);
  const [time, setTime] = useState(() => localInputValue(new Date()));
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<VitalsFieldKey, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputs = useRef(new Map<VitalsFieldKey, HTMLElement>());
  const oxygenGroup = useRef<HTMLDivElement>(null);
  const preview = vitalsPreview(form, locale());

  const setText = (key: VitalField, text: string): void => setForm((f) => ({ ...f, texts: { ...f.texts, [key]: text } }));
  const inputRef =
    (key: VitalsFieldKey) =>
    (element: HTMLInputElement | null): void => {
      if (element === null) inputs.current.delete(key);
      else inputs.current.set(key, element);
    };
  const focusField = (key: VitalsFieldKey | null): void => {
    if (key === 'onOxygen') oxygenGroup.current?.querySelector<HTMLElement>('button')?.focus();
    else if (key !== null) inputs.current.get(key)?.focus();
  };

  const save = (): void => {
    const effectiveAt = fromLocalInputValue(time);
    if (effectiveAt === null) {
      setFormError('Enter the date and time of the measurement.');
      return;
    }
    const result = checkVitals(form, effectiveAt, new Date(), locale());
    if (!result.ok) {
      setFieldErrors(result.fieldErrors);
      setFormError(result.formError);
      focusField(firstFieldInError(result.fieldErrors));
      return;
    }
    setFieldErrors({});
    setFormError(null);
    setBusy(true);
    call(hostApi().chart.recordVitals({ patientId, vitals: result.entry }))
      .then(() => {
        onSaved();
        onClose();
      })
      .catch((error: unknown) => {
        setFormError(asHostError(error).message);
        setBusy(false);
      });
  };

  const field = (definition: (typeof VITAL_FIELDS)[number], autoFocus = false): React.JSX.Element => (
    <VitalValueField
      key={definition.key}
      field={definition}
      value={form.texts[definition.key] ?? ''}
      onChange={(text) => setText(definition.key, text)}
      flag={preview.flags[definition.key]}
      error={fieldErrors[definition.key]}
      inputRef={inputRef(definition.key)}
      autoFocus={autoFocus}
    />
  );

  return (
    <>
      <Heading slot="title" id="record-vitals-title">
        Record vital signs
      </Heading>
      <p className="dialog__patient">For {patientLabel}</p>
      <Form
        className="form"
        validationBehavior="aria"
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
      >
        <div className="vitals-form__grid">
          {VITAL_FIELDS.slice(0, 2).map((definition, index) => field(definition, index === 0))}
          <div ref={oxygenGroup}>
            <ChoiceGroup
              label="Air or oxygen"
              choices={OXYGEN_CHOICES}
              value={form.onOxygen === null ? null : form.onOxygen ? 'oxygen' : 'air'}
              onChange={(choice) => setForm((f) => ({ ...f, onOxygen: choice === 'oxygen' }))}
              error={fieldErrors.onOxygen}
            />
          </div>
          {form.onOxygen === true || (form.texts.oxygenFlowLitresPerMinute ?? '') !== '' ? field(OXYGEN_FLOW_FIELD) : null}
          {VITAL_FIELDS.slice(2).map((definition) => field(definition))}
        </div>
        <ChoiceGroup
          label="Consciousness (ACVPU)"
          choices={CONSCIOUSNESS_CHOICES}
          value={form.consciousness}
          onChange={(level: Consciousness) => setForm((f) => ({ ...f, consciousness: level }))}
        />
        {preview.flags.consciousness === undefined ? null : (
          <span className={`vital-flag vital-flag--${preview.flags.consciousness.level}`}>{preview.flags.consciousness.text}</span>
        )}
        <TimeField label="Time measured" value={time} onChange={setTime} />
        <div role="status" aria-live="polite" className="vitals-form__score">
          {preview.news2 === null ? (
            <span className="hint">NEWS2 shows here as values are entered.</span>
          ) : (
            <News2Badge score={preview.news2} withResponse />
          )}
        </div>
        <p className="hint">
          Leave a field empty if it was not measured. Blood pressure needs both values. A decimal comma or point both work.
        </p>
        {formError !== null ? (
          <p role="alert" className="message message--error">
            {formError}
          </p>
        ) : null}
        <div className="actions">
          <Button type="submit" className="button button--primary" isDisabled={busy}>
            Save vital signs
          </Button>
          <Button className="button" onPress={onClose}>
            Cancel
          </Button>
        </div>
      </Form>
    </>
  );
}
