// A form's last attempt at a host request, kept as the state of React's useActionState: not tried
// yet, refused (the host's message, safe to show), or done (the screen moves on, and the form stays
// disabled until it has). Used by break-the-glass, the off-ward chart and conflict resolution.
import { asHostError } from './use-host-call.js';

export interface HostAttempt {
  /** The host's refusal in words, or null. */
  readonly failure: string | null;
  /** The request went through. */
  readonly done: boolean;
}

export const NOT_TRIED: HostAttempt = { failure: null, done: false };

/** Sends `request` and hands its answer to `onDone`; never throws: a refusal becomes the attempt's failure. */
export async function attemptHostRequest<T>(request: () => Promise<T>, onDone: (answer: T) => void): Promise<HostAttempt> {
  try {
    onDone(await request());
    return { failure: null, done: true };
  } catch (error) {
    return { failure: asHostError(error).message, done: false };
  }
}
