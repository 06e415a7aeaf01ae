// For tests that cross rooms (tests/hub): the outbox's transaction Bundle, so a test sends the hub
// exactly what the workstation's upload sends (If-Match on updates, conditional creates).
export { outboxBundle } from './outbox-bundle.js';
