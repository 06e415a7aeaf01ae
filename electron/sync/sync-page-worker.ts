// The sync's page reader thread (started by page-reader.ts): reads each $everything page it is
// handed into columns (page-columns.ts) and hands the page's bytes back with them, both
// transferred, not copied. A page that is not JSON, or not a Bundle this workstation reads, is
// answered with the SyncError's code and message (they name positions and shapes, never content);
// anything else with a bare failure: no detail crosses, an exception's text could quote the page.
import { parentPort } from 'node:worker_threads';
import { columnBuffers, readPageColumns } from './page-columns.js';
import { isSyncError } from './sync-error.js';

const port = parentPort!;

port.on('message', (message: { id: number; body: ArrayBuffer; length: number }) => {
  const { id, body, length } = message;
  try {
    const columns = readPageColumns(Buffer.from(body, 0, length));
    port.postMessage({ id, body, columns }, [body, ...columnBuffers(columns)]);
  } catch (error) {
    if (isSyncError(error, 'HUB_ANSWER_INVALID') || isSyncError(error, 'HUB_ANSWER_MALFORMED')) {
      port.postMessage({ id, body, error: { code: error.code, message: error.message } }, [body]);
    } else {
      port.postMessage({ id, body, failed: true }, [body]);
    }
  }
});
