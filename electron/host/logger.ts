// The host's structured log (pino) in <dataDir>/logs/. Ids and counts only: never names, MRNs,
// birth dates or clinical values (docs/CONVENTIONS.md, "Logs"); a test scans the file for them.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';

export type HostLogger = Logger;

export const LOG_FILE_NAME = 'wardline.log';

/** A logger appending to <dataDir>/logs/wardline.log (synchronous writes: a CLI exits right after). */
export function createHostLogger(dataDir: string, level: string = process.env.WARDLINE_LOG_LEVEL ?? 'info'): HostLogger {
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true, mode: 0o700 });
  const destination = pino.destination({ dest: join(logDir, LOG_FILE_NAME), sync: true, mkdir: true });
  return pino(
    { level, base: { app: 'wardline' }, redact: { paths: ['*.password', '*.pin', '*.key', '*.token'], remove: true } },
    destination,
  );
}

/** A logger that drops everything (for hosts that must not write, e.g. before a data dir exists). */
export function silentLogger(): HostLogger {
  return pino({ level: 'silent' });
}
