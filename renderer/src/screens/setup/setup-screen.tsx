// The screen of a workstation that is not set up yet (issue 16): while it sets itself up at first
// start, what it is doing and the first sync's progress bar; when it is not set up or setting up
// failed, why in plain words and what IT must do. When the host says "ready" the page reloads into
// the sign-in screen.
import { useEffect, useState } from 'react';
import { ProgressBar } from 'react-aria-components';
import type { SetupStateData } from '../../../../shared/contract/index.js';
import { call, hostApi } from '../../host-api.js';
import { setupWording } from './setup-text.js';

export function SetupScreen(props: { fallbackMessage: string }): React.JSX.Element {
  const [state, setState] = useState<SetupStateData | null>(null);
  useEffect(() => {
    let stop: (() => void) | undefined;
    try {
      const api = hostApi();
      stop = api.setup.onChanged(setState);
      call(api.setup.state()).then(setState, () => undefined);
    } catch {
      stop = undefined;
    }
    return stop;
  }, []);
  useEffect(() => {
    if (state?.phase === 'ready') window.location.reload();
  }, [state?.phase]);

  if (state === null) {
    return (
      <main className="centre-page" aria-labelledby="setup-title">
        <div className="card card--wide">
          <h1 id="setup-title">This workstation is not ready</h1>
          <p role="status">{props.fallbackMessage}</p>
        </div>
      </main>
    );
  }
  const words = setupWording(state);
  const busy = state.phase === 'enrolling' || state.phase === 'first-sync' || state.phase === 'ready';
  return (
    <main className="centre-page" aria-labelledby="setup-title" aria-busy={busy}>
      <div className="card card--wide">
        <h1 id="setup-title">{words.title}</h1>
        <p role={busy ? 'status' : 'alert'}>{words.lead}</p>
        {busy ? (
          <ProgressBar
            className="progress"
            aria-label="Setting up this workstation"
            isIndeterminate={state.progress === null}
            {...(state.progress === null ? {} : { value: state.progress.loaded, maxValue: Math.max(1, state.progress.total) })}
            valueLabel={words.progressLabel ?? 'Connecting to the hub'}
          >
            {({ percentage }) => (
              <>
                <span className="progress__label">{words.progressLabel ?? 'Connecting to the hub…'}</span>
                <span className="progress__track">
                  <span className="progress__fill" style={{ width: `${state.progress === null ? 0 : (percentage ?? 0)}%` }} />
                </span>
              </>
            )}
          </ProgressBar>
        ) : null}
        {words.itSteps.length === 0 ? null : (
          <section aria-labelledby="setup-it-steps">
            <h2 id="setup-it-steps">What IT must do</h2>
            <ol className="list">
              {words.itSteps.map((step) => (
                <li key={step}>{step}</li>
              ))}
            </ol>
          </section>
        )}
        {words.codeForIt === null ? null : <p className="muted">Code for IT: {words.codeForIt}</p>}
      </div>
    </main>
  );
}
