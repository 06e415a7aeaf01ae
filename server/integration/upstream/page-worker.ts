// The page worker's thread: reads each search page it is handed (upstream-page.ts) and answers
// twice: the `next` link as soon as the Bundle is parsed (so the next page can be asked for), then
// the page's columns (their typed arrays transferred, not copied). Started by page-reader.ts.
import { parentPort } from 'node:worker_threads';
import { readUpstreamPage, type PageSettings } from './upstream-page.js';

const port = parentPort!;

port.on('message', (message: { id: number; body: Uint8Array; settings: PageSettings }) => {
  const { id, body, settings } = message;
  try {
    const columns = readUpstreamPage(body, settings, (next, notBundle) => port.postMessage({ id, next, notBundle }));
    const transfer = [
      columns.type,
      columns.lastUpdatedMs,
      columns.kind,
      columns.sourceVersion,
      columns.patient,
      columns.windowEnd,
      columns.cuts,
      columns.invalidPath,
      columns.status,
      columns.careEnd,
      columns.dateStart,
      columns.dateEnd,
      columns.tokenStart,
      columns.tokens,
      columns.wardStart,
      columns.wardRefs,
    ].map((array) => array.buffer as ArrayBuffer);
    port.postMessage({ id, columns }, transfer);
  } catch {
    // No detail crosses: an exception's text could quote the page.
    port.postMessage({ id, failed: true });
  }
});
