// The "Set PIN" dialog: a 4–8 digit PIN typed twice (session:set-pin); the password too when the
// host says the last full sign-in is too old.
import { startTransition, useActionState, useId, useState } from 'react';
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

/** What was typed when Save was pressed (the password only when the host asked for it). */
interface PinEntry {
  readonly pin: string;
  readonly repeat: string;
  readonly password: string | null;
}

function SetPinForm(props: { onCancel: () => void; onSaved: () => void }): React.JSX.Element {
  const ids = useId();
  const [pin, setPin] = useState('');
  const [repeat, setRepeat] = useState('');
  const [password, setPassword] = useState('');
  const [needsPassword, setNeedsPassword] = useState(false);

  // The last problem is the action's state; `busy` is true while the PIN is with the host.
  const [lastProblem, save, busy] = useActionState(async (_previous: string | null, entry: PinEntry): Promise<string | null> => {
    if (!PIN.test(entry.pin)) return 'A PIN is 4 to 8 digits.';
    if (entry.pin !== entry.repeat) return 'The two PINs are not the same. Type the same PIN twice.';
    if (entry.password === '') return 'Enter your password to set a PIN.';
    try {
      await call(hostApi().session.setPin(entry.password === null ? { pin: entry.pin } : { pin: entry.pin, password: entry.password }));
      setPin('');
      setRepeat('');
      setPassword('');
      props.onSaved();
      return null;
    } catch (error) {
      const refused = error instanceof HostRequestError ? error : new HostRequestError('INTERNAL', 'Wardline could not reach its host.');
      if (refused.code === 'REAUTH_REQUIRED') setNeedsPassword(true);
      setPassword('');
      return refused.message;
    }
  }, null);
  // A new attempt clears the last problem while it is with the host.
  const problem = busy ? null : lastProblem;

  const submit = (): void => {
    if (busy) return;
    startTransition(() => save({ pin, repeat, password: needsPassword ? password : null }));
  };

  const problemId = `${ids}-problem`;
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
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
