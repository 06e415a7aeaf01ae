// The sign-in screen shown when nobody is signed in: why the last session ended (if it did), the
// sign-in form, and what the last attempt told about the hub.
import type { SessionSnapshotData } from '../../../../shared/contract/index.js';
import { PreSessionStatus } from '../../shell/pre-session-status.js';
import { SignInForm } from './sign-in-form.js';
import type { Reachability } from './sign-in-outcome.js';

type Ended = SessionSnapshotData['lastEnded'];

const ENDED: Readonly<Record<NonNullable<Ended>['reason'], string | null>> = {
  user: null,
  timeout: 'You were signed out after a long time without activity. Sign in again.',
  'absolute-limit': 'Your session reached its time limit and ended. Sign in again.',
  evicted: 'A locked session was signed out to make room for another user.',
  'credentials-revoked':
    'Your sign-in here was withdrawn by the hub (for example after a password change). Sign in with your current password.',
  shutdown: null,
};

export interface SignInScreenProps {
  readonly lastEnded: Ended;
  readonly onSignedIn: (snapshot: SessionSnapshotData, signIn?: { readonly offerPin: boolean }) => void;
  readonly reachability: Reachability;
  readonly onReachability: (reachability: Reachability) => void;
}

export function SignInScreen(props: SignInScreenProps): React.JSX.Element {
  const ended = props.lastEnded === null ? null : ENDED[props.lastEnded.reason];
  return (
    <div className="page">
      <PreSessionStatus reachability={props.reachability} />
      <main className="centre-page" aria-labelledby="sign-in-title">
        <div className="card">
          <h1 id="sign-in-title">Sign in to Wardline</h1>
          {ended === null ? null : <p className="message message--info">{ended}</p>}
          <SignInForm onSignedIn={props.onSignedIn} onReachability={props.onReachability} />
        </div>
      </main>
    </div>
  );
}
