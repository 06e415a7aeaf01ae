// "Open a chart from another ward" (break-the-glass by MRN): the MRN, a coded reason and a
// justification → chart:open-off-ward. The host fetches the chart from the hub (online only), keeps
// it in memory for the grant's time, and audits the access as a security alert.
import { startTransition, useActionState, useState } from 'react';
import {
  Button,
  Dialog,
  DialogTrigger,
  FieldError,
  Form,
  Heading,
  Input,
  Label,
  Modal,
  ModalOverlay,
  Text,
  TextField,
} from 'react-aria-components';
import { mrnSchema } from '../../../../shared/contract/index.js';
import { call, hostApi } from '../../host-api.js';
import { rememberGrant } from '../chart/emergency-grants.js';
import { EmergencyFormEnd } from '../chart/emergency-form-end.js';
import { EmergencyReasonFields, emergencyReasonProblems, type EmergencyReason } from '../chart/emergency-reason-fields.js';
import { attemptHostRequest, NOT_TRIED, type HostAttempt } from '../chart/host-attempt.js';

export function OffWardDialog(props: { onOpened: (patientId: string) => void }): React.JSX.Element {
  return (
    <DialogTrigger>
      <Button className="button button--secondary">Open a chart from another ward</Button>
      <ModalOverlay className="modal-overlay" isDismissable>
        <Modal className="modal modal--wide">
          <Dialog className="dialog" aria-labelledby="off-ward-title">
            {({ close }) => (
              <OffWardForm
                onOpened={(patientId) => {
                  close();
                  props.onOpened(patientId);
                }}
                onCancel={close}
              />
            )}
          </Dialog>
        </Modal>
      </ModalOverlay>
    </DialogTrigger>
  );
}

type OffWardRequest = Parameters<ReturnType<typeof hostApi>['chart']['openOffWard']>[0];

function OffWardForm({ onOpened, onCancel }: { onOpened: (patientId: string) => void; onCancel: () => void }): React.JSX.Element {
  const [mrn, setMrn] = useState('');
  const [reason, setReason] = useState<EmergencyReason>({ reasonCode: null, reasonText: '' });
  const [problems, setProblems] = useState<{ mrn?: string; reasonCode?: string; reasonText?: string } | null>(null);
  // The action's state is the last attempt: the host's refusal, or done (the chart opens; the
  // button stays disabled). `pending` is true while the request is with the host.
  const [attempt, openOffWard, pending] = useActionState(
    (_previous: HostAttempt, request: OffWardRequest) =>
      attemptHostRequest(
        () => call(hostApi().chart.openOffWard(request)),
        (grant) => {
          rememberGrant(grant.patientId, grant.expiresAt);
          onOpened(grant.patientId);
        },
      ),
    NOT_TRIED,
  );
  const busy = pending || attempt.done;
  const failure = pending ? null : attempt.failure;

  const submit = (): void => {
    if (busy) return;
    const parsedMrn = mrnSchema.safeParse(mrn);
    const found = {
      ...emergencyReasonProblems(reason),
      ...(parsedMrn.success ? {} : { mrn: 'Enter the medical record number (letters, digits, "-", ".", "_" or "/").' }),
    };
    setProblems(found);
    if (Object.keys(found).length > 0 || !parsedMrn.success || reason.reasonCode === null) return;
    const request = { mrn: parsedMrn.data, reasonCode: reason.reasonCode, reasonText: reason.reasonText.trim() };
    startTransition(() => openOffWard(request));
  };

  return (
    <>
      <Heading slot="title" id="off-ward-title">
        Open a chart from another ward
      </Heading>
      <p>
        For a patient who is not on this ward. This is emergency access (break-the-glass): it is recorded as a security event with your
        name, reason and time, and it ends by itself after a limited time. It needs a connection to the hub.
      </p>
      <Form
        className="form"
        validationBehavior="aria"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <TextField className="field" value={mrn} onChange={setMrn} isInvalid={problems?.mrn !== undefined} isRequired maxLength={64}>
          <Label>MRN</Label>
          <Input className="input" autoComplete="off" />
          <Text slot="description" className="hint">
            The patient's medical record number.
          </Text>
          <FieldError className="field__error">{problems?.mrn}</FieldError>
        </TextField>
        <EmergencyReasonFields value={reason} onChange={setReason} problems={problems} />
        <EmergencyFormEnd failure={failure} busy={busy} onCancel={onCancel} />
      </Form>
    </>
  );
}
