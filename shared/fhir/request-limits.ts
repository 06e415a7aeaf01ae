// How much one request to the hub may carry. The hub refuses more (400 for entries, 413 for bytes);
// a workstation splits what it sends to stay within both.
/** Entries of one transaction or batch Bundle. */
export const MAX_BUNDLE_ENTRIES = 1000;
/** Bytes of one request body. */
export const MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;
