// The app chunk: React, the shell, and the lock and sign-in screens. main.tsx loads it once the
// host is reachable and mounts it with the first session:state answer: drawn at once when the
// answer is already here (the usual case after a purge reload), else after a splash.
import { StrictMode } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import type { FirstAnswer, HostStart } from './shell/host-start.js';
import { Splash } from './shell/splash.js';

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
  root.render(<Splash />);
  void start.answer.then(draw);
}
