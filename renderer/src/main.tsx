// The renderer's entry: mounts the React app. It talks to the host only through
// window.wardline (the typed contract from shared/); its screens come with the UI issue.
// zod-config must stay the first import: it turns zod's eval-based JIT off before any schema runs (CSP).
import './zod-config.js';
import './styles/base.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { installBridge } from './bridge/install-bridge.js';

// Without Electron's preload (evaluation mode), window.wardline comes over loopback.
installBridge();

const container = document.getElementById('root');
if (!container) throw new Error('The page has no #root element to mount Wardline into.');
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
