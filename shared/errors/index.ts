// Errors, one root: every room's error (workstation, hub, renderer, shared) extends WardlineError,
// with a stable `code` and a message a nurse or IT can act on (never patient data). The IPC router
// and the CLIs recognise a room's error with `instanceof`; anything else is unexpected and reaches
// the user as one plain sentence and a code; a CLI's reader that leaves early is not an error
// (toleratesClosedReader). Runtime-neutral.
export { WardlineError, isWardlineError } from './wardline-error.js';
export { UNEXPECTED_ERROR_CODE, UNEXPECTED_ERROR_MESSAGE, describeUnexpected, type UnexpectedErrorReport } from './unexpected-error.js';
export { toleratesClosedReader, type OutputStream } from './closed-output.js';
