// Ids of the Patients and Encounters the feed creates: UUID v7 (uuid's v7, time-ordered, so new
// rows land at the end of the store's indexes), increasing within a millisecond as uuid's own v7
// state makes them, with the random bits taken from a pooled buffer: uuid's default source asks
// WebCrypto for 16 bytes per id, which costs more than the rest of the id.
import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

const IDS_PER_FILL = 256;
const pool = new Uint8Array(16 * IDS_PER_FILL);
let taken = IDS_PER_FILL;
let lastMs = -Infinity;
let sequence = 0;

function randomBytes(): Uint8Array {
  if (taken === IDS_PER_FILL) {
    randomFillSync(pool);
    taken = 0;
  }
  return pool.subarray(16 * taken, 16 * ++taken);
}

/** A new resource id (UUID v7). */
export function newResourceId(): string {
  const random = randomBytes();
  const now = Date.now();
  if (now > lastMs) {
    // A new millisecond starts at a random 31-bit counter, as uuid's v7 does.
    lastMs = now;
    sequence = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
  } else {
    sequence = (sequence + 1) | 0;
    if (sequence === 0) lastMs += 1;
  }
  return uuidv7({ random, msecs: lastMs, seq: sequence });
}
