// "Record vital signs": a modal form (React Aria NumberFields; the contract's ranges, both blood
// pressure values, at least one value, the time defaulting to now) → chart:record-vitals. The set
// goes to this workstation's outbox; the chart then shows it as pending upload.
import { useState } from 'react';
import { Button, Dialog, FieldError, Form, Heading, Input, Label, Modal, ModalOverlay, NumberField, Text } from 'react-aria-components';
import type { VitalSignsEntryData } from '../../../../shared/contract/index.js';
import { call, hostApi } from '../../host-api.js';
import { fromLocalInputValue, localInputValue } from '../../../../shared/display/index.js';
import { asHostError } from '../chart/use-host-call.js';
import { TimeField } from './time-field.js';
import { checkVitals, VITAL_FIELDS, type VitalField, type VitalValues } from './vitals-entry.js';

export function RecordVitalsDialog(props: {
  patientId: string;
  patientLabel: string;
  isOpen: boolean;
  onClose: () => void;
  onSaved: () => void;
}): React.JSX.Element {
  const { isOpen, onClose } = props;
  return (
    <ModalOverlay
      className="modal-overlay"
      isOpen={isOpen}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
      isDismissable
    >
      <Modal className="modal modal--wide">
        <Dialog className="dialog" aria-labelledby="record-vitals-title">
          {isOpen ? <VitalsForm {...props} /> : null}
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

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
  const [values, setValues] = useState<VitalValues>({});
  const [time, setTime] = useState(() => localInputValue(new Date()));
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<VitalField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = (): void => {
    const effectiveAt = fromLocalInputValue(time);
    if (effectiveAt === null) {
      setFormError('Enter the date and time of the measurement.');
      return;
    }
    const result = checkVitals(values, effectiveAt, new Date());
    if (!result.ok) {
      setFieldErrors(result.fieldErrors);
      setFormError(result.formError);
      return;
    }
    setFieldErrors({});
    setFormError(null);
    setBusy(true);
    const vitals: VitalSignsEntryData = result.entry;
    call(hostApi().chart.recordVitals({ patientId, vitals }))
      .then(() => {
        onSaved();
        onClose();
      })
      .catch((error: unknown) => {
        setFormError(asHostError(error).message);
        setBusy(false);
      });
  };

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
        <TimeField label="Time measured" value={time} onChange={setTime} />
        <div className="form__grid">
          {VITAL_FIELDS.map((field) => (
            <NumberField
              key={field.key}
              className="field"
              value={values[field.key] ?? Number.NaN}
              onChange={(value) => setValues((v) => ({ ...v, [field.key]: value }))}
              formatOptions={{ maximumFractionDigits: field.decimals, useGrouping: false }}
              step={field.decimals === 0 ? 1 : 0.1}
              isInvalid={fieldErrors[field.key] !== undefined}
              isWheelDisabled
            >
              <Label>{field.label}</Label>
              <Input className="input input--number" />
              <Text slot="description" className="hint">
                {field.unit}, {field.min} to {field.max}
              </Text>
              <FieldError className="field__error">{fieldErrors[field.key]}</FieldError>
            </NumberField>
          ))}
        </div>
        <p className="hint">Leave a field empty if it was not measured. Blood pressure needs both values.</p>
        {formError !== null ? (
          <p role="alert" className="text-danger">
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
