// The sign-in form: username and password (online, or offline by choice), then, when the hub asks
// for it, a second step for the 6-digit code. Used by the sign-in screen, by "Switch user" and,
// with the username fixed, to unlock a session with the password after too many wrong PINs.
import { startTransition, useActionState, useEffect, useId, useRef, useState } from 'react';
import type { SessionSnapshotData } from '../../../../shared/contract/index.js';
import { call, hostApi, HostRequestError } from '../../host-api.js';
import { failureTitle, needsTotpStep, reachabilityAfterFailure, reachabilityAfterSuccess, type Reachability } from './sign-in-outcome.js';

export interface SignInFormProps {
  /** Set when unlocking one person's session with their password. */
  readonly fixedUsername?: string;
  readonly submitLabel?: string;
  /** The form's accessible name with a fixed username (default: unlocking that user with the password). */
  readonly formLabel?: string;
  /** `offerPin`: the host asks the window to offer setting a PIN (a first online sign-in here, no PIN). */
  readonly onSignedIn: (snapshot: SessionSnapshotData, signIn?: { readonly offerPin: boolean }) => void;
  readonly onReachability: (reachability: Reachability) => void;
}

interface Refusal {
  readonly code: string;
  readonly message: string;
}

/** What the form's action is asked: sign in with what was typed (online or offline by choice), or forget the last refusal. */
type SignInIntent =
  | {
      readonly kind: 'sign-in';
      readonly offline: boolean;
      readonly step: 'credentials' | 'totp';
      readonly username: string;
      readonly password: string;
      readonly code: string;
    }
  | { readonly kind: 'clear' };

const CODE_PATTERN = /^\d{6}$/;

export function SignInForm(props: SignInFormProps): React.JSX.Element {
  const ids = useId();
  const [username, setUsername] = useState(props.fixedUsername ?? '');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [step, setStep] = useState<'credentials' | 'totp'>('credentials');
  const firstField = useRef<HTMLInputElement>(null);
  const codeField = useRef<HTMLInputElement>(null);

  useEffect(() => {
    (step === 'totp' ? codeField : firstField).current?.focus();
  }, [step]);

  // The last refusal is the action's state; `busy` is true while a sign-in is with the host.
  const [lastRefusal, dispatch, busy] = useActionState(async (_previous: Refusal | null, intent: SignInIntent): Promise<Refusal | null> => {
    if (intent.kind === 'clear') return null;
    const { offline, step, username, password, code } = intent;
    if (username.trim() === '' || password === '') return { code: 'MISSING', message: 'Enter your username and password.' };
    if (step === 'totp' && !CODE_PATTERN.test(code))
      return { code: 'TOTP_INVALID', message: 'The code is 6 digits, as your authenticator app shows it.' };
    try {
      const request =
        step === 'totp' ? { username, password, totp: code } : offline ? { username, password, offline: true } : { username, password };
      const result = await call(hostApi().session.signIn(request));
      // The bench measures "census shown ≤ 300 ms after sign-in" from this mark.
      performance.mark('wardline:signed-in');
      props.onReachability(reachabilityAfterSuccess(result));
      setPassword('');
      setCode('');
      props.onSignedIn(result.snapshot, { offerPin: result.offerPin === true });
      return null;
    } catch (error) {
      const refused = error instanceof HostRequestError ? error : new HostRequestError('INTERNAL', 'Wardline could not reach its host.');
      props.onReachability(reachabilityAfterFailure(refused.code, offline));
      if (needsTotpStep(refused.code)) {
        setStep('totp');
        setCode('');
      } else {
        setPassword('');
        setStep('credentials');
        firstField.current?.focus();
      }
      return { code: refused.code, message: refused.message };
    }
  }, null);
  // A new attempt clears the last refusal while it is with the host.
  const refusal = busy ? null : lastRefusal;

  const submit = (offline: boolean): void => {
    if (busy) return;
    startTransition(() => dispatch({ kind: 'sign-in', offline, step, username, password, code }));
  };

  const startAgain = (): void => {
    setStep('credentials');
    setPassword('');
    setCode('');
    startTransition(() => dispatch({ kind: 'clear' }));
  };

  const errorId = `${ids}-error`;
  const error =
    refusal === null ? null : (
      <div id={errorId} className="message message--error" role="alert">
        <p className="message__title">{refusal.code === 'MISSING' ? 'Missing details' : failureTitle(refusal.code)}</p>
        {refusal.code === 'TOTP_REQUIRED' ? null : <p>{refusal.message}</p>}
      </div>
    );

  if (step === 'totp') {
    return (
      <form
        className="form"
        aria-label="Second step: authenticator code"
        onSubmit={(event) => {
          event.preventDefault();
          submit(false);
        }}
      >
        <p>Your account needs a second step. Enter the 6-digit code your authenticator app shows for Wardline.</p>
        {refusal?.code === 'TOTP_REQUIRED' ? null : error}
        <div className="field">
          <label htmlFor={`${ids}-code`}>6-digit code</label>
          <input
            ref={codeField}
            id={`${ids}-code`}
            name="totp"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="\d{6}"
            maxLength={6}
            required
            value={code}
            onChange={(event) => setCode(event.target.value.replace(/\D/g, '').slice(0, 6))}
            aria-describedby={refusal !== null && refusal.code !== 'TOTP_REQUIRED' ? errorId : undefined}
          />
        </div>
        <div className="actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Checking…' : 'Verify code'}
          </button>
          <button type="button" className="button" onClick={startAgain} disabled={busy}>
            Start again
          </button>
        </div>
      </form>
    );
  }

  return (
    <form
      className="form"
      aria-label={props.fixedUsername === undefined ? 'Sign in' : (props.formLabel ?? `Unlock ${props.fixedUsername} with the password`)}
      onSubmit={(event) => {
        event.preventDefault();
        submit(false);
      }}
    >
      {error}
      {props.fixedUsername === undefined ? (
        <div className="field">
          <label htmlFor={`${ids}-user`}>Username</label>
          <input
            ref={firstField}
            id={`${ids}-user`}
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={`${ids}-password`}>{props.fixedUsername === undefined ? 'Password' : `Password for ${props.fixedUsername}`}</label>
        <input
          ref={props.fixedUsername === undefined ? undefined : firstField}
          id={`${ids}-password`}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          aria-describedby={refusal === null ? undefined : errorId}
        />
      </div>
      <div className="actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Signing in…' : (props.submitLabel ?? 'Sign in')}
        </button>
        {props.fixedUsername === undefined ? (
          <button type="button" className="button" disabled={busy} onClick={() => submit(true)}>
            Sign in offline
          </button>
        ) : null}
      </div>
      {props.fixedUsername === undefined ? (
        <p className="hint">Use “Sign in offline” when the network is down and you signed in on this workstation recently.</p>
      ) : null}
    </form>
  );
}
