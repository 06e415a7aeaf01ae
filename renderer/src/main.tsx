// The renderer's entry, kept tiny so the lock screen after a purge reload comes fast: it reaches
// the host (shell/host-start.ts) and asks session:state before React is even evaluated, then loads
// the app chunk (boot.tsx, preloaded by index.html) and mounts it with the answer.
// zod-config must stay the first import: it turns zod's eval-based JIT off before any schema runs (CSP).
import './zod-config.js';
import './styles/base.css';
import { startHost } from './shell/host-start.js';

const container = document.getElementById('root');
if (!container) throw new Error('The page has no #root element to mount Wardline into.');

const start = startHost();
// The bridge's script is evaluated before React, so its WebSocket handshake overlaps React's start.
start.ready
  .then(() => import('./boot.js'))
  .then(
    ({ mountApp }) => mountApp(container, start),
    () => {
      container.textContent = 'Wardline could not load its screens. Close this window and start Wardline again.';
    },
  );
