// The banner's stand-in on the sign-in and lock screens: the connection as it is now, from the host's
// sync status (sync:status, asked on opening and every poll period, public like the sync:changed
// event it also follows), in the banner's words. What the last sign-in answer said about the hub is
// shown only while the host has not answered: a sign-in made earlier never speaks for the hub now
// (the lock screen once said "Hub reachable" in downtime). Renders nothing while nothing is known.
import { useEffect, useState } from 'react';
import type { SyncStatusData } from '../../../shared/contract/index.js';
import { call, hostApi } from '../host-api.js';
import { reachabilityWords, type Reachability } from '../screens/sign-in/sign-in-outcome.js';
import { bannerWording } from './banner-text.js';
import { useNow } from './use-now.js';

/** How often the status is asked again when the host has not said its poll interval. */
const DEFAULT_ASK_MS = 15_000;

export function PreSessionStatus(props: { reachability: Reachability }): React.JSX.Element | null {
  const [status, setStatus] = useState<SyncStatusData | null>(null);
  const now = useNow(60_000);
  useEffect(() => {
    try {
      return hostApi().sync.onChanged(setStatus);
    } catch {
      return undefined;
    }
  }, []);
  const askEveryMs = status?.pollIntervalMs ?? DEFAULT_ASK_MS;
  useEffect(() => {
    let current = true;
    const ask = (): void => {
      Promise.resolve()
        .then(() => call(hostApi().sync.status()))
        .then(
          (next) => {
            if (current) setStatus(next);
          },
          () => undefined,
        );
    };
    ask();
    const timer = setInterval(ask, askEveryMs);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [askEveryMs]);

  const fromSignIn = reachabilityWords(props.reachability);
  const text = status !== null ? bannerWording(status, now).headline : fromSignIn;
  const tone =
    status !== null ? (status.state === 'online' ? 'online' : 'offline') : props.reachability === 'reachable' ? 'online' : 'offline';
  if (text === null) return null;
  return (
    <section className={`banner banner--${tone} banner--compact`} aria-label="Connection status">
      <p role="status" className="banner__headline">
        {text}
      </p>
    </section>
  );
}
