// The renderer's entry: mounts the React app. It talks to the host only through
// window.wardline (the typed contract from shared/); its screens come with the UI issue.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';

const container = document.getElementById('root');
if (!container) throw new Error('The page has no #root element to mount Wardline into.');
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
