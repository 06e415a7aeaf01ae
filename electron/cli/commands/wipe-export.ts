// The export of the audit trail that `wardline wipe --force --export FILE` makes: first, before
// anything is destroyed, the whole trail (the export's own `audit-export` entry included, recorded
// before anything is written) to a new FILE; then, once the wipe has recorded its own entries (its
// start, before anything was destroyed, and its outcome), FILE is replaced by the whole trail again,
// those entries included. Each time the text goes to a file of its
// own beside FILE (FILE.<pid>.partial, mode 0600), is flushed to disk, and only then takes FILE's
// name, so FILE is always a whole export: a kill leaves the first one (without the wipe's entries,
// which then stay unsent in audit.db, where a second wipe finds them and refuses until they are
// exported) or the second, never a torn file. FILE itself is never an existing file.
import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportAuditTrail, openAuditLog, type AuditExportFormat, type AuditLog } from '../../audit/index.js';
import { CliError } from '../cli-error.js';
import type { Workstation } from './workstation.js';

/** Writes the whole trail to FILE.<pid>.partial, flushed, then gives it FILE's name (`replace`: over the earlier export). */
function writeWholeExport(log: AuditLog, file: string, format: AuditExportFormat, replace: boolean): number {
  const partial = `${file}.${process.pid}.partial`;
  const fd = openSync(partial, 'wx', 0o600);
  let lines = 0;
  try {
    try {
      for (const line of exportAuditTrail(log, { format })) {
        writeSync(fd, `${line}\n`);
        lines += 1;
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (replace) renameSync(partial, file);
    else {
      try {
        // A new name only: a link fails when FILE exists (someone made it meanwhile).
        linkSync(partial, file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST' || existsSync(file)) throw error;
        renameSync(partial, file); // a file system without hard links
      }
    }
    syncFolder(dirname(file));
  } finally {
    rmSync(partial, { force: true });
  }
  return lines;
}

/** Flushes the folder's entry for the new name (where the OS lets a folder be opened). */
function syncFolder(folder: string): void {
  let fd: number;
  try {
    fd = openSync(folder, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // Windows and some file systems refuse to flush a folder; the file itself is flushed.
  } finally {
    closeSync(fd);
  }
}

/**
 * Before a forced wipe: records the export (`reason: "forced-wipe"` and `detail`: what the wipe
 * destroys), then writes the whole trail to the new `file`. Nothing is wiped when this throws.
 */
export async function exportBeforeForcedWipe(
  { dataDir, custodian, logger }: Workstation,
  file: string,
  format: AuditExportFormat,
  detail: Record<string, number>,
): Promise<number> {
  if (existsSync(file)) throw new CliError('USAGE', `${file} already exists; name a new file for the export (nothing was wiped)`);
  const log = await openAuditLog({ dataDir, custodian, logger });
  try {
    log.record({ action: 'audit-export', detail: { by: 'cli', format, reason: 'forced-wipe', ...detail } });
    let lines: number;
    try {
      lines = writeWholeExport(log, file, format, false);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliError(
        'USAGE',
        code === 'EEXIST'
          ? `${file} already exists; name a new file for the export (nothing was wiped)`
          : `cannot write the export ${file} (${code ?? 'error'}); nothing was wiped`,
      );
    }
    logger.warn({ event: 'audit.export', format, lines, reason: 'forced-wipe' }, 'audit trail exported before a forced wipe');
    return lines;
  } finally {
    log.close();
  }
}

/**
 * After the forced wipe recorded its own entries in `log` (start and outcome): FILE becomes the whole
 * trail again, those entries included. Returns the lines written, or why not (FILE then still holds the first export).
 */
export function completeForcedWipeExport(
  log: AuditLog,
  file: string,
  format: AuditExportFormat,
  logger: Workstation['logger'],
): { lines: number } | { failed: string } {
  try {
    const lines = writeWholeExport(log, file, format, true);
    logger.warn(
      { event: 'audit.export', format, lines, reason: 'forced-wipe', withWipe: true },
      "the forced wipe's own entries added to its export",
    );
    return { lines };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    logger.error(
      { event: 'audit.export_failed', code: typeof code === 'string' ? code : null },
      "the forced wipe's export could not be completed",
    );
    return { failed: typeof code === 'string' ? code : 'error' };
  }
}
