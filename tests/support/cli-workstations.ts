// Workstation data folders the CLI tests enroll with `wardline` as IT would, and remove after:
// each folder's vault, its device and audit keys in the keystore, and the folder itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { keyNameFor, wipeVault, type KeyCustodian } from '../../electron/vault/index.js';
import { createEnrollmentToken } from '../../server/identity/index.js';
import { workstationAuditHead } from './audit-at-hub.js';
import type { TestHub } from './hub-harness.js';
import { wardline } from './wardline-cli.js';

export interface CliWorkstations {
  /** A new, empty data folder (removed by `removeAll`). */
  folder(): string;
  /**
   * `wardline enroll` of `dir` on ward `a` of `hub`, reached at `via` (the hub itself or a proxy
   * before it), then `wardline audit upload`: nothing pending. Returns the hub's id for the device.
   */
  enrolledAndUploaded(dir: string, via: { readonly url: string; readonly pin: string }): Promise<string>;
  /** Wipes every folder's vault, destroys its keys, removes it. */
  removeAll(): Promise<void>;
}

export function cliWorkstations(hub: () => TestHub, custodian: KeyCustodian, prefix: string): CliWorkstations {
  const folders: string[] = [];
  return {
    folder() {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      folders.push(dir);
      return dir;
    },
    async enrolledAndUploaded(dir, via) {
      const token = await createEnrollmentToken(hub().db, { ward: 'a' });
      const enrolled = await wardline(['enroll', '--hub', via.url, '--token', token, '--pin', via.pin, '--data', dir]);
      expect(enrolled.stderr).toBe('');
      expect(enrolled.code).toBe(0);
      const upload = await wardline(['audit', 'upload', '--json', '--data', dir]);
      expect(upload.stderr).toBe('');
      expect(JSON.parse(upload.stdout)).toMatchObject({ pending: 0, hubAcknowledged: 1 });
      return (await workstationAuditHead(dir, custodian)).deviceId!;
    },
    async removeAll() {
      for (const dir of folders.splice(0)) {
        await wipeVault({ dataDir: dir, custodian }).catch(() => undefined);
        await custodian.destroy(keyNameFor(dir, 'device')).catch(() => undefined);
        await custodian.destroy(keyNameFor(dir, 'audit')).catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
