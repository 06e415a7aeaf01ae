// Shown instead of the chart when the host answers BTG_REQUIRED (a restricted chart, or a patient
// not on the user's ward): the host's explanation, a coded reason and a justification, then
// session:break-glass. The access is audited as a security alert and lasts a limited time.
import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { call, hostApi } from '../../host-api.js';
import { EmergencyReasonFields, emergencyReasonProblems, type EmergencyReason } from './emergency-reason-fields.js';
import { asHostError } from './use-host-call.js';

export function EmergencyAccessPanel(props: {
  patientId: string;
  explanation: string;
  onGranted: (expiresAt: string) => void;
  onCancel: () => void;
}): React.JSX.Element {
  const { patientId, explanation, onGranted, onCancel } = props;
  const [value, setValue] = useState<EmergencyReason>({ reasonCode: null, reasonText: '' });
  const [problems, setProblems] = useState<ReturnType<typeof emergencyReasonProblems> | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = (): void => {
    const found = emergencyReasonProblems(value);
    setProblems(found);
    if (Object.keys(found).length > 0 || value.reasonCode === null) return;
    setBusy(true);
    setFailure(null);
    call(hostApi().session.breakGlass({ patientId, reasonCode: value.reasonCode, reasonText: value.reasonText.trim() }))
      .then((grant) => onGranted(grant.expiresAt))
      .catch((error: unknown) => {
        setFailure(asHostError(error).message);
        setBusy(false);
      });
  };
  return (
    <section className="card card--emergency" aria-labelledby="emergency-heading">
      <h2 id="emergency-heading">Emergency access needed</h2>
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
        {failure !== null ? (
          <p role="alert" className="text-danger">
            {failure}
          </p>
        ) : null}
        <div className="actions">
          <Button type="submit" className="button button--danger" isDisabled={busy}>
            Open chart with emergency access
          </Button>
          <Button className="button" onPress={onCancel}>
            Cancel
          </Button>
        </div>
      </Form>
    </section>
  );
}
