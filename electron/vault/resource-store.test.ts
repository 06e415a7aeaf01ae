import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyNameFor } from './key-name.js';
import { KeytarCustodian } from './keytar-custodian.js';
import { openKeyedConnection } from './sqlcipher-connection.js';
import { temporaryDataDir } from './test-helpers.js';
import { createVault, type Vault } from './vault.js';
import { vaultFilePath } from './vault-files.js';
import { VaultError } from './vault-error.js';
import { wipeVault } from './wipe.js';

const custodian = new KeytarCustodian();
let vault: Vault;
let dataDir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  const data = temporaryDataDir('resources');
  dataDir = data.dir;
  vault = await createVault({ dataDir: data.dir, custodian });
  cleanup = async () => {
    vault.close();
    await wipeVault({ dataDir: data.dir, custodian });
    data.remove();
  };
});
afterEach(() => cleanup());

const patient = { resourceType: 'Patient', id: 'p1', name: [{ family: 'Testperson', given: ['Alex'] }], birthDate: '1970-01-01' };

function observation(id: string, overrides: Record<string, unknown> = {}) {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: '2024-03-01T10:00:00Z',
    valueQuantity: { value: 80, unit: '/min' },
    ...overrides,
  };
}

function rejection(work: () => unknown): VaultError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(VaultError);
    return error as VaultError;
  }
  throw new Error('nothing was rejected');
}

describe('the resource store', () => {
  it('stores, reads, replaces and deletes resources by type and id', () => {
    vault.resources.upsert(patient);
    vault.resources.upsert(observation('o1'));
    expect(vault.resources.read('Observation', 'o1')).toEqual(observation('o1'));
    vault.resources.upsert(observation('o1', { valueQuantity: { value: 91, unit: '/min' } }));
    expect(vault.resources.read('Observation', 'o1')?.valueQuantity?.value).toBe(91);
    expect(vault.resources.count()).toBe(2);
    expect(vault.resources.delete('Observation', 'o1')).toBe(true);
    expect(vault.resources.delete('Observation', 'o1')).toBe(false);
    expect(vault.resources.read('Observation', 'o1')).toBeNull();
    expect(vault.resources.count()).toBe(1);
  });

  it("keeps the hub's versionId and lastUpdated, and null where the hub assigned none", () => {
    vault.resources.upsert({ ...patient, meta: { versionId: '3', lastUpdated: '2024-03-01T10:00:00.000Z' } });
    vault.resources.upsert(observation('o1'));
    expect(vault.resources.versionOf('Patient', 'p1')).toEqual({ versionId: '3', lastUpdated: '2024-03-01T10:00:00.000Z' });
    expect(vault.resources.versionOf('Observation', 'o1')).toEqual({ versionId: null, lastUpdated: null });
    expect(vault.resources.versionOf('Observation', 'missing')).toBeNull();
  });

  it('reads the versions of many resources of a type at once: only those stored, of that type', () => {
    vault.resources.upsert({ ...patient, meta: { versionId: '3' } });
    vault.resources.upsert(observation('o1', { meta: { versionId: '7' } }));
    vault.resources.upsert(observation('o2'));
    const versions = vault.resources.versionsOf('Observation', ['o1', 'o2', 'missing', 'p1', "o1' OR 1=1"]);
    expect([...versions.entries()].sort()).toEqual([
      ['o1', '7'],
      ['o2', null],
    ]);
    expect(vault.resources.versionsOf('Patient', []).size).toBe(0);
  });

  it('rejects a malformed resource with an error naming the field, and writes nothing', () => {
    vault.resources.upsert(patient);
    const error = rejection(() => vault.resources.upsert(observation('o1', { effectiveDateTime: 'yesterday at noon' })));
    expect(error.code).toBe('INVALID_RESOURCE');
    expect(error.path).toBe('Observation.effectiveDateTime');
    expect(error.message).toContain('Observation.effectiveDateTime');
    expect(error.message).not.toContain('yesterday');
    expect(vault.resources.count()).toBe(1);
  });

  it('rejects a resource of a type the vault does not hold, and one without an id', () => {
    expect(rejection(() => vault.resources.upsert({ resourceType: 'Basic', id: 'b1' })).path).toBe('resourceType');
    const { id: _id, ...withoutId } = observation('o1');
    const error = rejection(() => vault.resources.upsert(withoutId));
    expect(error.code).toBe('INVALID_RESOURCE');
    expect(error.path).toBe('id');
    expect(vault.resources.count()).toBe(0);
  });

  it('writes a batch with one bad resource not at all', () => {
    vault.resources.upsert(patient);
    const batch = [observation('o1'), observation('o2'), observation('o3', { status: 'finalised' }), observation('o4')];
    const error = rejection(() => vault.resources.upsertMany(batch));
    expect(error.code).toBe('INVALID_RESOURCE');
    expect(error.path).toBe('Observation.status');
    expect(error.message).toContain('item 3 of the batch');
    expect(vault.resources.count()).toBe(1);
    expect(vault.resources.read('Observation', 'o1')).toBeNull();
  });

  it('writes a good batch in full', () => {
    expect(vault.resources.upsertMany([patient, ...Array.from({ length: 500 }, (_, i) => observation(`o${i}`))])).toBe(501);
    expect(vault.resources.count('Observation')).toBe(500);
  });

  it('validates as it prepares, writes nothing until the prepared rows are written, then stores them as an upsert would', () => {
    expect(rejection(() => vault.resources.prepare(observation('o9', { status: 'finalised' }))).path).toBe('Observation.status');
    const prepared = [patient, observation('o1'), observation('o2', { valueQuantity: { value: 91, unit: '/min' } })].map((r) =>
      vault.resources.prepare(r),
    );
    expect(prepared.map((p) => `${p.type}/${p.id}`)).toEqual(['Patient/p1', 'Observation/o1', 'Observation/o2']);
    expect(vault.resources.count()).toBe(0);
    expect(vault.resources.upsertPrepared(prepared)).toBe(3);
    expect(vault.resources.read('Observation', 'o2')).toEqual(observation('o2', { valueQuantity: { value: 91, unit: '/min' } }));
    expect(vault.observationTrend('p1', '8867-4', '2024-03-01T00:00:00Z', '2024-03-02T00:00:00Z').map((p) => p.value)).toEqual([80, 91]);
  });

  it('stores a resource prepared from the UTF-8 bytes it was parsed from, non-ASCII text intact', () => {
    const named = { ...patient, name: [{ family: 'Müller-Łukasik', given: ['Zoë', '李'] }] };
    const page = Buffer.from(`{"entry":[{"resource":${JSON.stringify(named, null, 1)}}]}`, 'utf8');
    const bytes = page.subarray(page.indexOf('"resource":') + '"resource":'.length, page.length - '}]}'.length);
    const prepared = vault.resources.prepare(JSON.parse(bytes.toString('utf8')), bytes);
    expect(vault.resources.count()).toBe(0);
    expect(vault.resources.upsertPrepared([prepared])).toBe(1);
    expect(vault.resources.read('Patient', 'p1')).toEqual(named);
    expect(vault.patients.matching('Zoë Müller-Łukasik')).toEqual(['p1']);
  });

  it('stores the JSON of a resource prepared from bytes as text, bytes not valid UTF-8 decoded first', async () => {
    const named = { ...patient, name: [{ family: 'Müller', given: ['Zoë'] }] };
    const good = Buffer.from(JSON.stringify(named), 'utf8');
    const bad = Buffer.from(JSON.stringify({ ...patient, id: 'p2', name: [{ family: 'Testperson', given: ['Al#x'] }] }), 'utf8');
    bad[bad.indexOf('#')] = 0xff;
    const parsed = JSON.parse(bad.toString('utf8')) as typeof patient;
    expect(vault.resources.upsertPrepared([vault.resources.prepare(named, good), vault.resources.prepare(parsed, bad)])).toBe(2);
    expect(vault.resources.read('Patient', 'p2')).toEqual(parsed);
    const key = await custodian.load(keyNameFor(dataDir, 'vault'));
    const db = openKeyedConnection(vaultFilePath(dataDir), key!, { create: false });
    try {
      const rows = db.prepare("SELECT id, typeof(json) AS kind, hex(json) AS hex FROM resources WHERE type = 'Patient' ORDER BY id").all();
      expect(rows).toEqual([
        { id: 'p1', kind: 'text', hex: good.toString('hex').toUpperCase() },
        { id: 'p2', kind: 'text', hex: Buffer.from(bad.toString('utf8'), 'utf8').toString('hex').toUpperCase() },
      ]);
    } finally {
      db.close();
      key!.fill(0);
    }
  });

  it('rolls back everything written in a transaction that fails', () => {
    vault.resources.upsert(patient);
    expect(() =>
      vault.transaction(() => {
        vault.resources.upsertMany([observation('o1'), observation('o2')]);
        vault.checkpoints.set('Observation', '2024-03-01T10:00:00Z');
        throw new Error('connection dropped mid-page');
      }),
    ).toThrow('connection dropped');
    expect(vault.resources.count()).toBe(1);
    expect(vault.checkpoints.get('Observation')).toBeNull();

    vault.transaction(
      () => {
        vault.resources.upsert(observation('o1'));
        vault.checkpoints.set('Observation', '2024-03-01T10:00:00Z');
      },
      { durable: true },
    );
    expect(vault.resources.count()).toBe(2);
    expect(vault.checkpoints.all()).toEqual({ Observation: '2024-03-01T10:00:00Z' });
  });
});
