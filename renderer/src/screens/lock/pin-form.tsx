// The PIN step of the lock screen: the owner of a locked session types their PIN
// (session:unlock-pin). Too many wrong PINs, or no PIN set, hands over to the password.
import { startTransition, useActionState, useEffect, useId, useRef, useState } from 'react';
import type { SessionSnapshotData, SessionViewData } from '../../../../shared/contract/index.js';
import { call, hostApi, HostRequestError } from '../../host-api.js';
import { failureTitle } from '../sign-in/sign-in-outcome.js';

export interface PinFormProps {
  readonly session: SessionViewData;
  readonly onUnlocked: (snapshot: SessionSnapshotData) => void;
  /** The host wants the password (PIN_LOCKED_OUT, PIN_NOT_SET): the message to show with it. */
  readonly onPasswordNeeded: (message: string) => void;
  /** The session is gone (NO_LOCKED_SESSION): re-read the workstation's state. */
  readonly onGone: () => void;
}

const PIN = /^\d{4,8}$/;

interface Refusal {
  readonly code: string;
  readonly message: string;
}

export function PinForm(props: PinFormProps): React.JSX.Element {
  const ids = useId();
  const [pin, setPin] = useState('');
  const field = useRef<HTMLInputElement>(null);

  useEffect(() => field.current?.focus(), [props.session.sessionId]);

  // The last refusal is the action's state; `busy` is true while the PIN is with the host.
  const [lastRefusal, unlock, busy] = useActionState(async (_previous: Refusal | null, typed: string): Promise<Refusal | null> => {
    if (!PIN.test(typed)) return { code: 'PIN_INVALID', message: 'A PIN is 4 to 8 digits.' };
    try {
      const snapshot = await call(hostApi().session.unlockPin({ userId: props.session.userId, pin: typed }));
      setPin('');
      props.onUnlocked(snapshot);
      return null;
    } catch (error) {
      setPin('');
      const refused = error instanceof HostRequestError ? error : new HostRequestError('INTERNAL', 'Wardline could not reach its host.');
      if (refused.code === 'PIN_LOCKED_OUT' || refused.code === 'PIN_NOT_SET' || refused.code === 'REAUTH_REQUIRED')
        props.onPasswordNeeded(refused.message);
      else if (refused.code === 'NO_LOCKED_SESSION') props.onGone();
      else {
        field.current?.focus();
        return { code: refused.code, message: refused.message };
      }
      return null;
    }
  }, null);
  // A new attempt clears the last refusal while it is with the host.
  const refusal = busy ? null : lastRefusal;

  const submit = (): void => {
    if (busy) return;
    startTransition(() => unlock(pin));
  };

  const errorId = `${ids}-error`;
  return (
    <form
      className="form"
      aria-label={`Unlock ${props.session.username} with the PIN`}
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {refusal === null ? null : (
        <div id={errorId} className="message message--error" role="alert">
          <p className="message__title">{refusal.code === 'PIN_INVALID' ? 'Check the PIN' : failureTitle(refusal.code)}</p>
          <p>{refusal.message}</p>
        </div>
      )}
      <div className="field">
        <label htmlFor={`${ids}-pin`}>PIN for {props.session.username}</label>
        <input
          ref={field}
          id={`${ids}-pin`}
          name="pin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={8}
          required
          value={pin}
          onChange={(event) => setPin(event.target.value.replace(/\D/g, '').slice(0, 8))}
          aria-describedby={refusal === null ? undefined : errorId}
        />
      </div>
      <div className="actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
      </div>
    </form>
  );
}
