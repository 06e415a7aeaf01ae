// The app chunk: React, the shell, and the lock and sign-in screens. main.tsx loads it while the
// host is being reached and mounts it with the first session:state answer, drawn as soon as the
// answer is here (a splash shows only if the host is slow to answer).
import { StrictMode } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import type { FirstAnswer, HostStart } from './shell/host-start.js';
import { Splash } from './shell/splash.js';

/** A blank page for a moment is calmer than a splash that flashes. */
const SPLASH_AFTER_MS = 300;

export function mountApp(container: HTMLElement, start: HostStart): void {
  const root = createRoot(container);
  const draw = (first: FirstAnswer): void =>
    flushSync(() =>
      root.render(
        <StrictMode>
          <App first={first} />
        </StrictMode>,
      ),
    );
  const first = start.settled();
  if (first !== null) return draw(first);
  const splash = setTimeout(() => root.render(<Splash />), SPLASH_AFTER_MS);
  void start.answer.then((answer) => {
    clearTimeout(splash);
    draw(answer);
  });
}
