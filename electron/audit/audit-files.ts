// Where the audit log lives: `<dataDir>/audit.db` (and SQLite's side files), beside the chart
// cache but a separate file with its own key. The name says nothing about any patient.
import path from 'node:path';

export const AUDIT_FILE_NAME = 'audit.db';

export function auditFilePath(dataDir: string): string {
  return path.join(path.resolve(dataDir), AUDIT_FILE_NAME);
}
