// The audit view's patient directory: who a held patient is now (name and MRN), and which held
// patients an MRN or the words of a name designate; a patient the vault no longer holds is absent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWard, type SyntheticWard } from '../../shared/synthetic/index.js';
import { KeytarCustodian } from './keytar-custodian.js';
import { temporaryDataDir } from './test-helpers.js';
import { createVault, type Vault } from './vault.js';
import { wipeVault } from './wipe.js';

const custodian = new KeytarCustodian();
let ward: SyntheticWard;
let vault: Vault;
let dataDir: { dir: string; remove: () => void };

beforeAll(async () => {
  ward = generateWard({ seed: 'patient-directory', patients: 6, days: 1, ward: { id: '4b', name: 'Ward 4B' } });
  dataDir = temporaryDataDir('directory');
  vault = await createVault({ dataDir: dataDir.dir, custodian, ward: ward.location.id! });
  vault.resources.upsertMany(ward.resources);
});

afterAll(async () => {
  vault.close();
  await wipeVault({ dataDir: dataDir.dir, custodian });
  dataDir.remove();
});

const mrnOf = (index: number): string => ward.patients[index]!.patient.identifier!.find((i) => i.system === 'urn:wardline:mrn')!.value!;
const idOf = (index: number): string => ward.patients[index]!.patient.id!;

describe('the patient directory', () => {
  it('names held patients "Family, Given" with their MRN, and leaves out the ones not held', () => {
    const name = ward.patients[0]!.patient.name![0]!;
    const found = vault.patients.identities([idOf(0), 'not-held-1', idOf(0)]);
    expect([...found.keys()]).toEqual([idOf(0)]);
    expect(found.get(idOf(0))).toEqual({ name: `${name.family}, ${name.given!.join(' ')}`, mrn: mrnOf(0) });
  });

  it('finds a patient by exact MRN and by every word of the name in any case, and nobody for an empty search', () => {
    expect(vault.patients.matching(mrnOf(2))).toEqual([idOf(2)]);
    expect(vault.patients.matching(mrnOf(2).slice(0, -1))).not.toContain(idOf(2));
    const name = ward.patients[3]!.patient.name![0]!;
    expect(vault.patients.matching(`${name.given![0]!.toUpperCase()}, ${name.family!.toLowerCase()}`)).toContain(idOf(3));
    expect(vault.patients.matching(`${name.family} zzzz-no-such-word`)).toEqual([]);
    expect(vault.patients.matching('   ')).toEqual([]);
  });
});
