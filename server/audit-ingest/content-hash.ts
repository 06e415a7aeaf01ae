// The content hash of an uploaded AuditEvent: SHA-256 of its canonical JSON (shared/json) without
// the top-level `meta`, so a re-sent event compares equal to the stored one whatever key order or
// server metadata it carries. The stored hashes of existing events stay valid: on parsed JSON the
// shared writer gives the text the hub has always hashed (content-hash.test.ts pins one).
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../shared/json/index.js';

/** SHA-256 (hex) of the resource's canonical JSON without its top-level `meta`. */
export function contentHash(resource: object): string {
  const { meta: _meta, ...content } = resource as Record<string, unknown>;
  return createHash('sha256')
    .update(canonicalJson(content, { omitUndefined: true }), 'utf8')
    .digest('hex');
}
