// "Record administration" against an active order, with the five rights: the patient's name, birth
// date and MRN, confirmed by a wristband scan or the typed MRN (focus starts there); the allergies;
// the order's details; then Given (dose prefilled from the order when it can be read) or Held or
// refused (a coded reason). Saving asks the host's check first (chart:check-administration): a
// hard stop is shown plainly and nothing is saved; a deviation asks a coded reason; a correct dose
// goes straight on to chart:record-administration, into the outbox. After a failed save, focus
// goes to the first field in error.
import { useEffect, useRef, useState } from 'react';
import { Button, FieldError, Form, Heading, Input, Label, NumberField, TextArea, TextField } from 'react-aria-components';
import { DocumentationModal } from './documentation-modal.js';
import type { AdministrationVerdictData, ChartSummaryData } from '../../../../shared/contract/index.js';
import { formatCalendarDate, formatDateTime, fromLocalInputValue } from '../../../../shared/display/index.js';
import {
  confirmsPatient,
  NOT_GIVEN_REASONS,
  type ConfirmationMethod,
  type PatientConfirmation,
  type ReasonCheck,
} from '../../../../shared/medication-safety/index.js';
import { call, hostApi } from '../../host-api.js';
import { allergyStatus } from '../chart/banner-facts.js';
import { ChoiceGroup } from '../chart/choice-group.js';
import { asHostError, useHostCall } from '../chart/use-host-call.js';
import { HardStops, ReasonChoices } from './administration-checks.js';
import { checkAdministration, initialAdministrationTime, type AdministrationField } from './administration-entry.js';
import type { AdministrationTarget } from './administration-target.js';
import { PatientConfirmField } from './patient-confirm-field.js';
import { TimeField } from './time-field.js';

const OUTCOMES = [
  { id: 'given', label: 'Given' },
  { id: 'held', label: 'Held or refused' },
] as const;

const NOT_GIVEN_CHOICES = NOT_GIVEN_REASONS.map((reason) => ({ id: reason.code, label: reason.label }));

type Chart = Pick<ChartSummaryData, 'patient' | 'allergies' | 'noKnownAllergies'>;
type FocusTarget = AdministrationField | `reason-${ReasonCheck}` | 'stop' | 'failure';
const FOCUS_ORDER: readonly FocusTarget[] = [
  'confirmation',
  'stop',
  'dose',
  'doseUnit',
  'reason',
  'reason-dose',
  'reason-time',
  'reason-allergy',
  'note',
  'time',
  'failure',
];

export function RecordAdministrationDialog(props: {
  chart: Chart;
  target: AdministrationTarget | null;
  onClose: () => void;
  onSaved: () => void;
}): React.JSX.Element {
  const { target, onClose } = props;
  return (
    <DocumentationModal isOpen={target !== null} onClose={onClose} labelledBy="record-administration-title" wide>
      {target !== null ? <HostWindowForm {...props} target={target} /> : null}
    </DocumentationModal>
  );
}

/**
 * A dose from a MAR slot starts at "now" only when it is due within the window the host enforces:
 * the dialog asks the host's check once, on opening, for that window (the policy's
 * medication.administrationWindowMinutes) and keeps no copy of its own. An as-needed dose has no window.
 * The same answer says whether the slot is already recorded (a colleague's dose a sync brought, the
 * host's frequency check): the dialog says so at once, and asks again after each sync while it is open,
 * before anything is entered or given.
 */
function HostWindowForm(props: {
  chart: Chart;
  target: AdministrationTarget;
  onClose: () => void;
  onSaved: () => void;
}): React.JSX.Element {
  const { chart, target, onClose } = props;
  const patientId = chart.patient.id;
  const { requestId } = target.order;
  const { scheduledAt } = target;
  const { loaded, reload } = useHostCall(scheduledAt === null ? null : `${patientId}|${requestId}|${scheduledAt}`, () =>
    call(
      hostApi().chart.checkAdministration({
        patientId,
        administration: { medicationRequestId: requestId, given: true, scheduledAt: scheduledAt! },
      }),
    ),
  );
  // A sync while the dialog is open may bring a colleague's dose for this slot: ask again (writes nothing).
  useEffect(() => (scheduledAt === null ? undefined : hostApi().sync.onChanged(() => reload())), [scheduledAt, reload]);
  if (scheduledAt === null) return <AdministrationForm {...props} windowMinutes={null} openingCheck={null} />;
  if (loaded.state === 'ready')
    return <AdministrationForm {...props} windowMinutes={loaded.value.windowMinutes} openingCheck={loaded.value} />;
  return (
    <>
      <Heading slot="title" id="record-administration-title">
        Record administration
      </Heading>
      {loaded.state === 'loading' ? (
        <p aria-live="polite">Checking the order…</p>
      ) : (
        <p role="alert" className="message message--error">
          {loaded.error.message}
        </p>
      )}
      <div className="actions">
        <Button className="button" onPress={onClose}>
          Cancel
        </Button>
      </div>
    </>
  );
}

function PatientFacts({ chart }: { chart: Chart }): React.JSX.Element {
  const allergies = allergyStatus(chart);
  return (
    <>
      <section aria-labelledby="administration-patient-heading">
        <h3 id="administration-patient-heading">Patient</h3>
        <dl className="facts">
          <div>
            <dt>Name</dt>
            <dd>{chart.patient.name}</dd>
          </div>
          <div>
            <dt>Born</dt>
            <dd>{chart.patient.birthDate === null ? 'Not recorded' : formatCalendarDate(chart.patient.birthDate)}</dd>
          </div>
          <div>
            <dt>MRN</dt>
            <dd className="mono">{chart.patient.mrn ?? 'Not recorded'}</dd>
          </div>
        </dl>
      </section>
      <section aria-labelledby="administration-allergies-heading">
        <h3 id="administration-allergies-heading">Allergies</h3>
        {allergies.kind === 'allergies' ? (
          <ul className="list text-danger">
            {allergies.items.map((item) => (
              <li key={item.id}>
                {item.text}
                {item.highRisk ? ' — high risk' : ''}
              </li>
            ))}
          </ul>
        ) : (
          <p>{allergies.kind === 'none-known' ? 'No known allergies' : 'No allergies recorded'}</p>
        )}
      </section>
    </>
  );
}

function AdministrationForm(props: {
  chart: Chart;
  target: AdministrationTarget;
  onClose: () => void;
  onSaved: () => void;
  /** The host's administration window (null for an as-needed dose, which has none). */
  windowMinutes: number | null;
  /** The host's check on opening (a slot's dose); its frequency stops are shown until Save checks again. */
  openingCheck: AdministrationVerdictData | null;
}): React.JSX.Element {
  const { chart, target, onClose, onSaved, windowMinutes, openingCheck } = props;
  const patientId = chart.patient.id;
  const { order, scheduledAt } = target;
  // The ordered dose from the structured order, never read from its text.
  const prefilled = order.orderedDose;
  const [confirmText, setConfirmText] = useState('');
  const [confirmMethod, setConfirmMethod] = useState<ConfirmationMethod>('typed');
  const [outcome, setOutcome] = useState<'given' | 'held'>('given');
  const [doseValue, setDoseValue] = useState<number>(prefilled?.value ?? Number.NaN);
  const [doseUnit, setDoseUnit] = useState(prefilled?.unit ?? '');
  const [notGivenReason, setNotGivenReason] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [time, setTime] = useState(() => initialAdministrationTime(scheduledAt, new Date(), windowMinutes ?? 0));
  const [notYetDue] = useState(() => scheduledAt !== null && time === '');
  const [reasons, setReasons] = useState<Partial<Record<ReasonCheck, string>>>({});
  const [verdict, setVerdict] = useState<AdministrationVerdictData | null>(null);
  const [errors, setErrors] = useState<Partial<Record<FocusTarget, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [focusRequest, setFocusRequest] = useState(0);

  const confirmRef = useRef<HTMLInputElement>(null);
  const doseRef = useRef<HTMLInputElement>(null);
  const unitRef = useRef<HTMLInputElement>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const timeRef = useRef<HTMLInputElement>(null);
  const stopRef = useRef<HTMLDivElement>(null);
  const failureRef = useRef<HTMLParagraphElement>(null);
  const notGivenRef = useRef<HTMLDivElement>(null);
  const doseReasonRef = useRef<HTMLDivElement>(null);
  const timeReasonRef = useRef<HTMLDivElement>(null);
  const allergyReasonRef = useRef<HTMLDivElement>(null);
  const reasonRefs: Readonly<Record<ReasonCheck, React.RefObject<HTMLDivElement | null>>> = {
    dose: doseReasonRef,
    time: timeReasonRef,
    allergy: allergyReasonRef,
  };

  const confirmation: PatientConfirmation | null = confirmText.trim() === '' ? null : { method: confirmMethod, value: confirmText };
  const confirmed = confirmsPatient(confirmation ?? undefined, chart.patient.mrn);

  useEffect(() => {
    confirmRef.current?.focus();
  }, []);

  useEffect(() => {
    if (focusRequest === 0) return;
    const first = FOCUS_ORDER.find((key) => errors[key] !== undefined);
    const firstButton = (group: HTMLDivElement | null): HTMLElement | null => group?.querySelector<HTMLElement>('button') ?? null;
    const elements: Record<FocusTarget, HTMLElement | null> = {
      confirmation: confirmRef.current,
      stop: stopRef.current,
      dose: doseRef.current,
      doseUnit: unitRef.current,
      reason: firstButton(notGivenRef.current),
      'reason-dose': firstButton(doseReasonRef.current),
      'reason-time': firstButton(timeReasonRef.current),
      'reason-allergy': firstButton(allergyReasonRef.current),
      note: noteRef.current,
      time: timeRef.current,
      failure: failureRef.current,
    };
    if (first !== undefined) elements[first]?.focus();
  }, [focusRequest, errors]);

  const fail = (next: Partial<Record<FocusTarget, string>>): void => {
    setErrors(next);
    setBusy(false);
    setFocusRequest((n) => n + 1);
  };

  const confirmNow = (): void => {
    if (confirmed) {
      setErrors((e) => ({ ...e, confirmation: undefined }));
      (outcome === 'given' ? doseRef.current : notGivenRef.current?.querySelector<HTMLElement>('button'))?.focus();
    } else {
      fail({ confirmation: "This does not match this chart's MRN. Check you are with the right patient." });
      confirmRef.current?.select();
    }
  };

  const save = async (): Promise<void> => {
    const effectiveAt = fromLocalInputValue(time);
    if (effectiveAt === null) return fail({ time: 'Enter the date and time.' });
    const result = checkAdministration(
      {
        medicationRequestId: order.requestId,
        outcome,
        doseValue: Number.isNaN(doseValue) ? null : doseValue,
        doseUnit,
        notGivenReason,
        note,
        effectiveAt,
        scheduledAt,
        confirmation,
        chartMrn: chart.patient.mrn,
        reasons: {},
      },
      new Date(),
    );
    if (!result.ok) return fail(result.fieldErrors);
    setErrors({});
    setFailure(null);
    setBusy(true);
    try {
      const checked = await call(hostApi().chart.checkAdministration({ patientId, administration: result.entry }));
      setVerdict(checked);
      if (checked.hardStops.length > 0) {
        const doseStop = checked.hardStops.find((stop) => stop.check === 'dose');
        const patientStop = checked.hardStops.find((stop) => stop.check === 'patient');
        // Focus goes to the field the stop is about, or to the stop itself (frequency).
        return fail({
          ...(doseStop === undefined && patientStop === undefined ? { stop: 'This dose cannot be recorded.' } : {}),
          ...(doseStop === undefined ? {} : { dose: doseStop.message }),
          ...(patientStop === undefined ? {} : { confirmation: patientStop.message }),
        });
      }
      const needed = checked.reasonsNeeded.map((request) => request.check);
      const missing = needed.filter((check) => reasons[check] === undefined);
      if (missing.length > 0) {
        return fail(Object.fromEntries(missing.map((check) => [`reason-${check}`, 'Choose a reason.'])));
      }
      const chosen = Object.fromEntries(needed.map((check) => [check, reasons[check]]));
      const administration = needed.length === 0 ? result.entry : { ...result.entry, reasons: chosen };
      await call(hostApi().chart.recordAdministration({ patientId, administration }));
      onSaved();
      onClose();
    } catch (error: unknown) {
      setFailure(asHostError(error).message);
      fail({ failure: asHostError(error).message });
    }
  };

  const reasonErrors: Partial<Record<ReasonCheck, string>> = {
    dose: errors['reason-dose'],
    time: errors['reason-time'],
    allergy: errors['reason-allergy'],
  };

  return (
    <>
      <Heading slot="title" id="record-administration-title">
        Record administration
      </Heading>
      <PatientFacts chart={chart} />
      <section aria-labelledby="order-check-heading">
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
            <dd>
              {scheduledAt === null ? 'No scheduled time (as needed)' : formatDateTime(scheduledAt)}
              {notYetDue ? ' — not due yet: enter the time it was given' : null}
            </dd>
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
          void save();
        }}
      >
        <PatientConfirmField
          value={confirmText}
          onChange={(value, method) => {
            setConfirmText(value);
            setConfirmMethod(method);
          }}
          onConfirm={confirmNow}
          confirmed={confirmed}
          error={errors.confirmation}
          inputRef={confirmRef}
        />
        {verdict !== null ? <HardStops verdict={verdict} stopRef={stopRef} /> : null}
        {verdict === null && openingCheck !== null ? (
          <HardStops verdict={{ ...openingCheck, hardStops: openingCheck.hardStops.filter((stop) => stop.check === 'frequency') }} />
        ) : null}
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
              <Input ref={doseRef} className="input input--number" />
              <FieldError className="field__error">{errors.dose}</FieldError>
            </NumberField>
            <TextField className="field" value={doseUnit} onChange={setDoseUnit} isInvalid={errors.doseUnit !== undefined} maxLength={32}>
              <Label>Unit</Label>
              <Input ref={unitRef} className="input input--unit" />
              <FieldError className="field__error">{errors.doseUnit}</FieldError>
            </TextField>
          </div>
        ) : (
          <div ref={notGivenRef}>
            <ChoiceGroup
              label="Why was the dose not given?"
              choices={NOT_GIVEN_CHOICES}
              value={notGivenReason}
              onChange={setNotGivenReason}
              error={errors.reason}
              orientation="vertical"
            />
          </div>
        )}
        {verdict !== null && outcome === 'given' ? (
          <ReasonChoices
            verdict={verdict}
            reasons={reasons}
            onChange={(check, code) => setReasons((r) => ({ ...r, [check]: code }))}
            errors={reasonErrors}
            groupRefs={reasonRefs}
          />
        ) : null}
        <TextField className="field" value={note} onChange={setNote} isInvalid={errors.note !== undefined} maxLength={500}>
          <Label>Note (optional)</Label>
          <TextArea ref={noteRef} className="input input--textarea" rows={2} />
          <FieldError className="field__error">{errors.note}</FieldError>
        </TextField>
        <TimeField
          label={outcome === 'given' ? 'Time given' : 'Time held'}
          value={time}
          onChange={setTime}
          error={errors.time}
          inputRef={timeRef}
        />
        {failure !== null ? (
          <p ref={failureRef} role="alert" className="message message--error" tabIndex={-1}>
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
