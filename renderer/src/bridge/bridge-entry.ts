// The loopback bridge's own module script: main.tsx adds it as a <script type="module"> only to a
// page the loopback server served, so Electron (whose preload gives window.wardline) never loads
// it. It opens the WebSocket first, then defines window.wardline; the page's load event waits for it.
import './early-socket.js'; // first: connects while the rest of this script is evaluated
import { installBridge } from './install-bridge.js';

installBridge();
