// PID lock files of a data folder (the sync lease, the running host's hold): liveness of the
// holder, reading a lock back, creating one exclusively, taking a stale one over. The rooms that own
// a lock decide what it means (and when it is stale).
export { isProcessAlive, readLockFile, createLockFileExclusive, takeOverStaleLock, type StaleLockTakeover } from './lock-file.js';
