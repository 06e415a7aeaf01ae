// The renderer's entry, kept tiny so the lock screen after a purge reload comes fast: it starts
// reaching the host and asking session:state (shell/host-start.ts) while the app chunk (boot.tsx:
// React, the shell; preloaded by index.html) loads, and the app is mounted with the answer.
// zod-config must stay the first import: it turns zod's eval-based JIT off before any schema runs (CSP).
import './zod-config.js';
import './styles/tokens.css';
import './styles/base.css';
import { startHost } from './shell/host-start.js';

const container = document.getElementById('root');
if (!container) throw new Error('The page has no #root element to mount Wardline into.');

const start = startHost();
import('./boot.js').then(
  ({ mountApp }) => mountApp(container, start),
  () => {
    container.textContent = 'Wardline could not load its screens. Close this window and start Wardline again.';
  },
);
