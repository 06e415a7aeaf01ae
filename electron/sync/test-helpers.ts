// For tests that cross rooms (tests/hub): the outbox's transaction Bundle, so a test sends the hub
// exactly what the workstation's upload sends (If-Match on updates, conditional creates). For
// tests/sync: how the page reader's thread reads a page, so a test's thread that fails part-way
// reads the other pages as the real one does.
export { outboxBundle } from './outbox-bundle.js';
export { columnBuffers, readPageColumns } from './page-columns.js';
