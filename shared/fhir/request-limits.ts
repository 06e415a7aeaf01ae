// How much one request to the hub may carry. The hub refuses more (400 for entries, 413 for bytes);
// a workstation splits what it sends to stay within both.
/** Entries of one transaction or batch Bundle. */
export const MAX_BUNDLE_ENTRIES = 1000;
/** Bytes of one request body. */
export const MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;
/**
 * Levels of objects and arrays in one resource (the resource itself is level 1). Wardline's own
 * resources nest under 12; a deeper one is refused before it is walked, validated or stored, so
 * no reader of a stored resource (serialisation, hashing, a trail view, an export) runs out of stack.
 */
export const MAX_RESOURCE_DEPTH = 64;
