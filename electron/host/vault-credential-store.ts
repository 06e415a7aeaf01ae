// The sessions room's CredentialStore port, kept in the encrypted vault: offline password
// verifiers, PIN verifiers and wrong-PIN counts survive restarts and never leave the vault.
import type { CredentialStore, StoredCredentials } from '../session/index.js';
import type { CredentialRecord, Vault } from '../vault/index.js';

function storedOf(record: CredentialRecord): StoredCredentials {
  return { ...record, wards: [...record.wards] };
}

export function vaultCredentialStore(vault: Pick<Vault, 'credentials'>): CredentialStore {
  return {
    get: async (userId) => {
      const record = vault.credentials.get(userId);
      return record ? storedOf(record) : null;
    },
    findByUsername: async (username) => {
      const record = vault.credentials.findByUsername(username);
      return record ? storedOf(record) : null;
    },
    list: async () => vault.credentials.list().map(storedOf),
    put: async (record) => {
      vault.credentials.put({ ...record, wards: [...record.wards] });
    },
    delete: async (userId) => {
      vault.credentials.delete(userId);
    },
  };
}
