// PID lock files of a data folder (the sync lease, the running host's hold): liveness of the
// holder, reading a lock back, creating one exclusively. The rooms that own a lock decide what it means.
export { isProcessAlive, readLockFile, createLockFileExclusive } from './lock-file.js';
