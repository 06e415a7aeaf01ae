// A page read on the page reader's thread (page-columns.ts) made into the PreparedVersions the
// writing thread applies (version-apply.ts), as prepareVersion would have made them from the
// parsed resources: the scope decided here (it may read the vault's Locations), a valid row made a
// PreparedResource with its JSON as its bytes in the page, a refused one with its path.
import { preparedResourceOf, type ResourceRow } from '../vault/index.js';
import { DELETED, INVALID, OTHER_TYPE, VALID } from './page-columns.js';
import type { ReadPage } from './page-reader.js';
import type { ScopeFacts } from './pull-context.js';
import type { PreparedVersion } from './version-apply.js';

export function preparedVersionsOf(page: ReadPage, keep: (facts: ScopeFacts) => boolean): PreparedVersion[] {
  const { columns: c, body } = page;
  const string = (at: number): string | null => (at < 0 ? null : c.strings[at]!);
  const upstream = new Map(c.upstream);
  const versions = new Array<PreparedVersion>(c.count);
  for (let i = 0; i < c.count; i += 1) {
    const type = c.strings[c.type[i]!]!;
    const id = c.ids[i]!;
    const version = c.version[i]!;
    const kind = c.kind[i]!;
    const base = { type, id, version, deleted: kind === DELETED, clientId: undefined, kept: false, prepared: null, invalidPath: null };
    if (kind === DELETED || kind === OTHER_TYPE) {
      versions[i] = base;
      continue;
    }
    const clientId = string(c.clientId[i]!) ?? undefined;
    const withUpstream = upstream.has(i) ? { upstreamConflict: upstream.get(i) ?? null } : {};
    const patientId = string(c.patient[i]!);
    const facts: ScopeFacts = {
      resourceType: type,
      id,
      patientId: patientId ?? undefined,
      careWindowEnd: c.careWindowEnd[i]!,
      partOf: string(c.partOf[i]!) ?? undefined,
    };
    if (!keep(facts)) {
      versions[i] = { ...base, clientId, ...withUpstream };
      continue;
    }
    if (kind === INVALID) {
      versions[i] = { ...base, clientId, kept: true, invalidPath: string(c.invalidPath[i]!), ...withUpstream };
      continue;
    }
    if (kind !== VALID) throw new Error(`unknown entry kind ${kind}`);
    const effectiveMs = c.effectiveMs[i]!;
    const valueNum = c.valueNum[i]!;
    const row: ResourceRow = {
      type,
      id,
      patientId,
      category: string(c.category[i]!),
      code: string(c.code[i]!),
      effectiveMs: Number.isNaN(effectiveMs) ? null : effectiveMs,
      status: string(c.status[i]!),
      valueNum: Number.isNaN(valueNum) ? null : valueNum,
      valueUnit: string(c.valueUnit[i]!),
      versionId: string(c.versionId[i]!),
      lastUpdated: string(c.metaLastUpdated[i]!),
      json: body.subarray(c.jsonStart[i]!, c.jsonEnd[i]!),
    };
    versions[i] = { ...base, clientId, kept: true, prepared: preparedResourceOf(row), ...withUpstream };
  }
  return versions;
}
