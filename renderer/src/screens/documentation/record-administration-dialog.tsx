// "Record administration" against an active order: the order's details for checking (medication,
// dose, route and frequency, scheduled time), then Given (dose prefilled from the order when it can
// be read) or Held (a reason is required) → chart:record-administration, into the outbox.
import { useState } from 'react';
import {
  Button,
  Dialog,
  FieldError,
  Form,
  Heading,
  Input,
  Label,
  Modal,
  ModalOverlay,
  NumberField,
  TextArea,
  TextField,
} from 'react-aria-components';
import { call, hostApi } from '../../host-api.js';
import { formatDateTime, fromLocalInputValue, localInputValue } from '../../../../shared/display/index.js';
import { ChoiceGroup } from '../chart/choice-group.js';
import { asHostError } from '../chart/use-host-call.js';
import { checkAdministration, type AdministrationField } from './administration-entry.js';
import type { AdministrationTarget } from './administration-target.js';
import { parseDose } from './dose-parse.js';
import { TimeField } from './time-field.js';

const OUTCOMES = [
  { id: 'given', label: 'Given' },
  { id: 'held', label: 'Held' },
] as const;

export function RecordAdministrationDialog(props: {
  patientId: string;
  patientLabel: string;
  target: AdministrationTarget | null;
  onClose: () => void;
  onSaved: () => void;
}): React.JSX.Element {
  const { target, onClose } = props;
  return (
    <ModalOverlay
      className="modal-overlay"
      isOpen={target !== null}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
      isDismissable
    >
      <Modal className="modal modal--wide">
        <Dialog className="dialog" aria-labelledby="record-administration-title">
          {target !== null ? <AdministrationForm {...props} target={target} /> : null}
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

function AdministrationForm(props: {
  patientId: string;
  patientLabel: string;
  target: AdministrationTarget;
  onClose: () => void;
  onSaved: () => void;
}): React.JSX.Element {
  const { patientId, patientLabel, target, onClose, onSaved } = props;
  const { order, scheduledAt } = target;
  const prefilled = parseDose(order.dosage);
  const [outcome, setOutcome] = useState<'given' | 'held'>('given');
  const [doseValue, setDoseValue] = useState<number>(prefilled?.value ?? Number.NaN);
  const [doseUnit, setDoseUnit] = useState(prefilled?.unit ?? '');
  const [reason, setReason] = useState('');
  const [time, setTime] = useState(() => localInputValue(new Date()));
  const [errors, setErrors] = useState<Partial<Record<AdministrationField, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = (): void => {
    const effectiveAt = fromLocalInputValue(time);
    if (effectiveAt === null) {
      setErrors({ time: 'Enter the date and time.' });
      return;
    }
    const result = checkAdministration(
      {
        medicationRequestId: order.requestId,
        outcome,
        doseValue: Number.isNaN(doseValue) ? null : doseValue,
        doseUnit,
        reason,
        effectiveAt,
        scheduledAt,
      },
      new Date(),
    );
    if (!result.ok) {
      setErrors(result.fieldErrors);
      return;
    }
    setErrors({});
    setFailure(null);
    setBusy(true);
    call(hostApi().chart.recordAdministration({ patientId, administration: result.entry }))
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
      <Heading slot="title" id="record-administration-title">
        Record administration
      </Heading>
      <p className="dialog__patient">For {patientLabel}</p>
      <section className="order-check" aria-labelledby="order-check-heading">
        <h3 id="order-check-heading">Check the order</h3>
        <dl className="facts">
          <div>
            <dt>Medication</dt>
            <dd>{order.medication}</dd>
          </div>
          <div>
            <dt>Dose, route and frequency</dt>
            <dd>{order.dosage ?? 'Not stated on the order'}</dd>
          </div>
          <div>
            <dt>Scheduled time</dt>
            <dd>{scheduledAt === null ? 'Not a scheduled dose' : formatDateTime(scheduledAt)}</dd>
          </div>
          <div>
            <dt>Order status</dt>
            <dd>{order.status}</dd>
          </div>
        </dl>
      </section>
      <Form
        className="form"
        validationBehavior="aria"
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
      >
        <ChoiceGroup label="Outcome" choices={OUTCOMES} value={outcome} onChange={setOutcome} />
        {outcome === 'given' ? (
          <div className="form__row">
            <NumberField
              className="field"
              value={doseValue}
              onChange={setDoseValue}
              formatOptions={{ maximumFractionDigits: 3, useGrouping: false }}
              isInvalid={errors.dose !== undefined}
              isWheelDisabled
            >
              <Label>Dose given</Label>
              <Input className="input input--number" />
              <FieldError className="field__error">{errors.dose}</FieldError>
            </NumberField>
            <TextField className="field" value={doseUnit} onChange={setDoseUnit} isInvalid={errors.doseUnit !== undefined} maxLength={32}>
              <Label>Unit</Label>
              <Input className="input input--unit" />
              <FieldError className="field__error">{errors.doseUnit}</FieldError>
            </TextField>
          </div>
        ) : (
          <TextField
            className="field"
            value={reason}
            onChange={setReason}
            isInvalid={errors.reason !== undefined}
            isRequired
            maxLength={500}
          >
            <Label>Reason the dose was held</Label>
            <TextArea className="input input--textarea" rows={3} />
            <FieldError className="field__error">{errors.reason}</FieldError>
          </TextField>
        )}
        <TimeField label={outcome === 'given' ? 'Time given' : 'Time held'} value={time} onChange={setTime} error={errors.time} />
        {failure !== null ? (
          <p role="alert" className="text-danger">
            {failure}
          </p>
        ) : null}
        <div className="actions">
          <Button type="submit" className="button button--primary" isDisabled={busy}>
            Save administration
          </Button>
          <Button className="button" onPress={onClose}>
            Cancel
          </Button>
        </div>
      </Form>
    </>
  );
}
