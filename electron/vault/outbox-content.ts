// What an outbox item says, as a short fingerprint: the SHA-256 of the resource's canonical JSON
// without `meta` and `id` (the hub sets both; a created resource gets the hub's id). An item keeps
// the fingerprints of what it said before a later local edit was folded into it, so that the sync
// can recognise an earlier attempt the hub took although its answer was lost.
import { createHash } from 'node:crypto';
import type { Resource } from '../../shared/fhir/index.js';
import { canonicalJson, type JsonValue } from '../../shared/json/index.js';

export function contentFingerprint(resource: Resource): string {
  const { meta: _meta, id: _id, ...content } = resource as Resource & { meta?: unknown };
  return createHash('sha256')
    .update(canonicalJson(content as unknown as JsonValue))
    .digest('base64url');
}
