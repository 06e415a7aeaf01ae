// The "Set PIN" dialog: a 4–8 digit PIN typed twice (session:set-pin); the password too when the
// host says the last full sign-in is too old.
import { useId, useState } from 'react';
import { Button, Dialog, Heading, Modal } from 'react-aria-components';
import { call, hostApi, HostRequestError } from '../host-api.js';

const PIN = /^\d{4,8}$/;
const digits = (value: string): string => value.replace(/\D/g, '').slice(0, 8);

export function SetPinDialog(props: { isOpen: boolean; onOpenChange: (open: boolean) => void; onSaved: () => void }): React.JSX.Element {
  return (
    <Modal isOpen={props.isOpen} onOpenChange={props.onOpenChange} isDismissable className="modal">
      <Dialog className="dialog">
        {({ close }) => (
          <SetPinForm
            onCancel={close}
            onSaved={() => {
              close();
              props.onSaved();
            }}
          />
        )}
      </Dialog>
    </Modal>
  );
}

function SetPinForm(props: { onCancel: () => void; onSaved: () => void }): React.JSX.Element {
  const ids = useId();
  const [pin, setPin] = useState('');
  const [repeat, setRepeat] = useState('');
  const [password, setPassword] = useState('');
  const [needsPassword, setNeedsPassword] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (): Promise<void> => {
    if (busy) return;
    if (!PIN.test(pin)) return setProblem('A PIN is 4 to 8 digits.');
    if (pin !== repeat) return setProblem('The two PINs are not the same. Type the same PIN twice.');
    if (needsPassword && password === '') return setProblem('Enter your password to set a PIN.');
    setBusy(true);
    setProblem(null);
    try {
      await call(hostApi().session.setPin(needsPassword ? { pin, password } : { pin }));
      setPin('');
      setRepeat('');
      setPassword('');
      props.onSaved();
    } catch (error) {
      const refused = error instanceof HostRequestError ? error : new HostRequestError('INTERNAL', 'Wardline could not reach its host.');
      if (refused.code === 'REAUTH_REQUIRED') setNeedsPassword(true);
      setPassword('');
      setProblem(refused.message);
    } finally {
      setBusy(false);
    }
  };

  const problemId = `${ids}-problem`;
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Heading slot="title">Set your PIN</Heading>
      <p>With a PIN you can resume your own locked session on this workstation. After 5 wrong PINs your password is needed.</p>
      {problem === null ? null : (
        <p id={problemId} className="message message--error" role="alert">
          {problem}
        </p>
      )}
      <div className="field">
        <label htmlFor={`${ids}-pin`}>New PIN (4 to 8 digits)</label>
        <input
          id={`${ids}-pin`}
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={8}
          required
          autoFocus
          value={pin}
          onChange={(e) => setPin(digits(e.target.value))}
        />
      </div>
      <div className="field">
        <label htmlFor={`${ids}-repeat`}>Repeat the PIN</label>
        <input
          id={`${ids}-repeat`}
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={8}
          required
          value={repeat}
          onChange={(e) => setRepeat(digits(e.target.value))}
        />
      </div>
      {needsPassword ? (
        <div className="field">
          <label htmlFor={`${ids}-password`}>Your password</label>
          <input
            id={`${ids}-password`}
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-describedby={problem === null ? undefined : problemId}
          />
        </div>
      ) : null}
      <div className="actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save PIN'}
        </button>
        <Button className="button" onPress={props.onCancel} isDisabled={busy}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
