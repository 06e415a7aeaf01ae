// Facts about the audit log kept beside its entries (audit_meta): the workstation id made with
// the log, how far uploads got, the hub's last answer, the last signed checkpoint.
import type { EncryptedConnection } from '../vault/index.js';

export interface AuditMeta {
  get(key: string): string | null;
  set(key: string, value: string): void;
}

export function createAuditMeta(db: EncryptedConnection): AuditMeta {
  const read = db.prepare<[string], string>('SELECT value FROM audit_meta WHERE key = ?').pluck();
  const write = db.prepare<[string, string]>(
    'INSERT INTO audit_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  return {
    get: (key) => read.get(key) ?? null,
    set: (key, value) => {
      write.run(key, value);
    },
  };
}
