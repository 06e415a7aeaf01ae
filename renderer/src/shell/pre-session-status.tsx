// The banner's stand-in on the sign-in and lock screens, where sync:status cannot be asked (it
// needs a session): what the last sign-in answer said about the hub, or the last sync:changed
// event if one arrived. Renders nothing while nothing is known.
import { useEffect, useState } from 'react';
import type { SyncStatusData } from '../../../shared/contract/index.js';
import { hostApi } from '../host-api.js';
import { reachabilityWords, type Reachability } from '../screens/sign-in/sign-in-outcome.js';
import { bannerWording } from './banner-text.js';
import { useNow } from './use-now.js';

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
