// The loopback bridge's own module script: shell/host-start.ts adds it only to a page the loopback
// server served, so Electron (whose preload gives window.wardline) never loads it. Evaluating it
// defines window.wardline over the socket the page opened at start; the page's load event waits for it.
import { installBridge } from './install-bridge.js';

installBridge();
