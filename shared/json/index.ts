// JSON, once: the canonical text of a JSON value (RFC 8785). The workstation's audit chain hashes
// it, signed policies and manifests sign it, the hub's audit ingest recognises a re-sent event by
// it, and sync and the conflict screen compare resources by it. Runtime-neutral.
export { canonicalJson, sameJson, type CanonicalJsonOptions, type JsonValue } from './canonical-json.js';
