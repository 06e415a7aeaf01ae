// "Sign in online": a session signed in offline, once the hub answers again, gets the hub's tokens
// from the user's password (session:sign-in into the same session) without locking first. The
// "Signed in offline" badge then goes; if the hub could not be reached after all, the dialog says so.
import { useState } from 'react';
import { Dialog, Heading, Modal } from 'react-aria-components';
import type { SessionSnapshotData } from '../../../shared/contract/index.js';
import { SignInForm } from '../screens/sign-in/sign-in-form.js';

export interface SignInOnlineDialogProps {
  readonly username: string;
  readonly isOpen: boolean;
  readonly onOpenChange: (open: boolean) => void;
  readonly onSignedIn: (snapshot: SessionSnapshotData) => void;
}

export function SignInOnlineDialog(props: SignInOnlineDialogProps): React.JSX.Element {
  const [stillOffline, setStillOffline] = useState(false);
  return (
    <Modal
      isOpen={props.isOpen}
      onOpenChange={(open) => {
        setStillOffline(false);
        props.onOpenChange(open);
      }}
      isDismissable
      className="modal"
    >
      <Dialog className="dialog">
        {({ close }) => (
          <>
            <Heading slot="title">Sign in online</Heading>
            <p>
              The hub answers again. Give your password to sign in online: Wardline can then reach the hub in your name (for example for a
              chart from another ward). Your session stays as it is.
            </p>
            {stillOffline ? (
              <p className="message message--warning" role="alert">
                The hub could not be reached just now, so you are still signed in offline. Try again in a moment.
              </p>
            ) : null}
            <SignInForm
              fixedUsername={props.username}
              submitLabel="Sign in online"
              formLabel={`Sign ${props.username} in online`}
              onSignedIn={(snapshot) => {
                props.onSignedIn(snapshot);
                if (snapshot.active?.mode === 'online') close();
                else setStillOffline(true);
              }}
              onReachability={() => undefined}
            />
            <div className="actions">
              <button type="button" className="button" onClick={close}>
                Cancel
              </button>
            </div>
          </>
        )}
      </Dialog>
    </Modal>
  );
}
