// The chart's shapes are declared once, in shared/contract; the vault's types are their output
// types. These checks show the vault's answers keep to them at run time too: every chart answer of
// a real vault passes its schema unchanged (a field the schema lacks would be stripped and fail
// here), the types match, and every permission names an action of the shared table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS } from '../../shared/contract/index.js';
import type {
  censusEntrySchema,
  marRowSchema,
  patientSummarySchema,
  sessionSnapshotSchema,
  trendPointSchema,
  ContractAction,
} from '../../shared/contract/index.js';
import { generateWard, type SyntheticWard } from '../../shared/synthetic/index.js';
import { ACTIONS, isAction, type Action, type SessionSnapshot } from '../../electron/session/index.js';
import { sessionHarness, signInAs } from '../../electron/session/test-helpers.js';
import {
  createKeytarCustodian,
  createVault,
  wipeVault,
  type CensusEntry,
  type MarRow,
  type PatientSummary,
  type TrendPoint,
  type Vault,
} from '../../electron/vault/index.js';
import { temporaryDataDir } from '../../electron/vault/test-helpers.js';
import { readOnlyReasonFor } from '../../electron/documentation/index.js';
import type { z } from 'zod';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assignable<A, B> = [A] extends [B] ? true : false;
const holds = <T extends true>(): T => true as T;

// The renderer receives the schema's output: it must fit the host's types, and the host's values must fit the schema.
holds<Assignable<z.output<typeof censusEntrySchema>, CensusEntry>>();
holds<Assignable<z.output<typeof patientSummarySchema>, PatientSummary>>();
holds<Assignable<z.output<typeof trendPointSchema>, TrendPoint>>();
holds<Assignable<z.output<typeof marRowSchema>, MarRow>>();
holds<Assignable<z.output<typeof sessionSnapshotSchema>, SessionSnapshot>>();
holds<Same<ContractAction, Action>>();

const custodian = createKeytarCustodian();
let dataDir: { dir: string; remove: () => void };
let ward: SyntheticWard;
let vault: Vault;

beforeAll(async () => {
  dataDir = temporaryDataDir('contract');
  ward = generateWard({ seed: 'contract-shapes', patients: 4, days: 3, ward: { id: '4b', name: 'Ward 4B' } });
  vault = await createVault({ dataDir: dataDir.dir, custodian, ward: ward.location.id! });
  vault.resources.upsertMany(ward.resources);
});

afterAll(async () => {
  vault.close();
  await wipeVault({ dataDir: dataDir.dir, custodian });
  dataDir.remove();
});

describe("the contract's copies of the host's shapes", () => {
  it('let every census entry, summary, trend and MAR of a real vault through unchanged', () => {
    const census = vault.census();
    expect(census.length).toBe(4);
    expect(INVOKE_CHANNELS['chart:census'].response.parse(census)).toEqual(census);
    for (const entry of census) {
      const summary = vault.patientSummary(entry.patientId);
      expect(summary).not.toBeNull();
      // As chart:summary sends it: the vault's summary and the host's word on documenting it here.
      const sent = { ...summary!, readOnly: readOnlyReasonFor(vault.resources, entry.patientId) };
      expect(sent.readOnly).toBeNull();
      expect(INVOKE_CHANNELS['chart:summary'].response.parse(sent)).toEqual(sent);
      const code = summary!.vitals[0]!.code;
      const trend = vault.observationTrend(entry.patientId, code, '2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z');
      expect(trend.length).toBeGreaterThan(0);
      expect(INVOKE_CHANNELS['chart:trend'].response.parse(trend)).toEqual(trend);
      const mar = vault.medicationAdministrationRecord(entry.patientId, '2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z');
      expect(INVOKE_CHANNELS['chart:mar'].response.parse(mar)).toEqual(mar);
    }
  });

  it("let the sessions' snapshot through unchanged, signed out and signed in", async () => {
    const h = sessionHarness();
    expect(INVOKE_CHANNELS['session:state'].response.parse(h.manager.current())).toEqual(h.manager.current());
    const result = await signInAs(h, 'nina');
    expect(INVOKE_CHANNELS['session:sign-in'].response.parse(result)).toEqual(result);
    h.manager.lock('manual');
    expect(INVOKE_CHANNELS['session:lock'].response.parse(h.manager.current())).toEqual(h.manager.current());
    h.manager.close();
  });

  it('name only actions of the permission table', () => {
    for (const channel of Object.values(INVOKE_CHANNELS)) {
      if (channel.permission === 'public' || channel.permission === 'session') continue;
      expect(isAction(channel.permission), channel.name).toBe(true);
    }
    expect(ACTIONS.length).toBeGreaterThan(0);
  });
});
