// Ids of the resources the ADT feed creates (Patient, Encounter): UUIDs of version 7 (RFC 9562), the
// time in milliseconds first and 74 random bits after. Ids made one after another sort together, so
// a stream of admits adds its rows and index entries at the end of the store's id-ordered indexes
// (a few pages per group commit) instead of on a random page each (every one encrypted and synced
// again). Node 20 has no randomUUIDv7; this is the RFC's layout, nothing more.
import { randomFillSync } from 'node:crypto';

const bytes = Buffer.alloc(16);
/** Random bytes drawn ahead for many ids (one call into the CSPRNG per 128 ids, as randomUUID does). */
const pool = Buffer.alloc(10 * 128);
let drawn = pool.length;

/** A new UUIDv7 for `nowMs` (ms since the epoch). */
export function timeOrderedUuid(nowMs: number = Date.now()): string {
  if (drawn === pool.length) {
    randomFillSync(pool);
    drawn = 0;
  }
  pool.copy(bytes, 6, drawn, drawn + 10);
  drawn += 10;
  bytes.writeUIntBE(Math.max(0, Math.floor(nowMs)) % 2 ** 48, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70; // version 7
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // variant 10
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
