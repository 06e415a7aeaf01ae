// Shown instead of the chart when the host answers BTG_REQUIRED (a restricted chart, or a patient
// not on the user's ward): the host's explanation, a coded reason and a justification, then
// session:break-glass. The access is audited as a security alert and lasts a limited time.
import { startTransition, useActionState, useId, useState } from 'react';
import { Form } from 'react-aria-components';
import { call, hostApi } from '../../host-api.js';
import { EmergencyFormEnd } from './emergency-form-end.js';
import { EmergencyReasonFields, emergencyReasonProblems, type EmergencyReason } from './emergency-reason-fields.js';
import { attemptHostRequest, NOT_TRIED, type HostAttempt } from './host-attempt.js';

type BreakGlassRequest = Parameters<ReturnType<typeof hostApi>['session']['breakGlass']>[0];

export function EmergencyAccessPanel(props: {
  patientId: string;
  explanation: string;
  onGranted: (expiresAt: string) => void;
  onCancel: () => void;
}): React.JSX.Element {
  const { patientId, explanation, onGranted, onCancel } = props;
  const headingId = useId();
  const [value, setValue] = useState<EmergencyReason>({ reasonCode: null, reasonText: '' });
  const [problems, setProblems] = useState<ReturnType<typeof emergencyReasonProblems> | null>(null);
  // The action's state is the last attempt: the host's refusal, or done (the chart opens; the
  // button stays disabled). `pending` is true while the request is with the host.
  const [attempt, breakGlass, pending] = useActionState(
    (_previous: HostAttempt, request: BreakGlassRequest) =>
      attemptHostRequest(
        () => call(hostApi().session.breakGlass(request)),
        (grant) => onGranted(grant.expiresAt),
      ),
    NOT_TRIED,
  );
  const busy = pending || attempt.done;
  const failure = pending ? null : attempt.failure;
  const submit = (): void => {
    if (busy) return;
    const found = emergencyReasonProblems(value);
    setProblems(found);
    if (Object.keys(found).length > 0 || value.reasonCode === null) return;
    const request = { patientId, reasonCode: value.reasonCode, reasonText: value.reasonText.trim() };
    startTransition(() => breakGlass(request));
  };
  return (
    <section className="card card--emergency" aria-labelledby={headingId}>
      <h2 id={headingId}>Emergency access needed</h2>
      <p>{explanation}</p>
      <p className="text-warning">
        Emergency access is recorded as a security event with your name, reason and time, and ends by itself after a limited time.
      </p>
      <Form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
        validationBehavior="aria"
      >
        <EmergencyReasonFields value={value} onChange={setValue} problems={problems} />
        <EmergencyFormEnd failure={failure} busy={busy} onCancel={onCancel} />
      </Form>
    </section>
  );
}
