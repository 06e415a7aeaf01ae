// The census: `GET /fhir/Encounter?location=Location/ward-{ward}&status=in-progress&_include=Encounter:patient`
// (paged), giving the patients on the ward now, their admissions, and the hub time it is complete up to.
import { referenceId } from '../../shared/fhir/index.js';
import { readBundlePage } from './bundle-reading.js';
import type { HubClient } from './hub-client.js';

export interface Census {
  readonly patientIds: Set<string>;
  /** Patient id → the earliest period.start of their in-progress Encounters here (when given). */
  readonly admissions: Map<string, string>;
  /** Bundle.meta.lastUpdated of the first page: the hub time this census is complete up to. */
  readonly lastUpdated: string;
}

export async function pullCensus(client: HubClient, wardId: string, pageSize: number): Promise<Census> {
  const query = new URLSearchParams({
    location: `Location/${wardId}`,
    status: 'in-progress',
    _include: 'Encounter:patient',
    _count: String(pageSize),
  });
  let url: string | null = `/fhir/Encounter?${query.toString()}`;
  let lastUpdated: string | null = null;
  const patientIds = new Set<string>();
  const admissions = new Map<string, string>();
  while (url !== null) {
    const page = readBundlePage(await client.getJson(url), 'searchset');
    lastUpdated ??= page.lastUpdated;
    for (const version of page.versions) {
      const resource = version.resource;
      if (version.mode !== 'match' || resource?.resourceType !== 'Encounter' || resource.status !== 'in-progress') continue;
      const patientId = referenceId(resource.subject?.reference, 'Patient');
      if (patientId === undefined) continue;
      patientIds.add(patientId);
      const start = resource.period?.start;
      const known = admissions.get(patientId);
      if (start !== undefined && Number.isFinite(Date.parse(start)) && (known === undefined || Date.parse(start) < Date.parse(known)))
        admissions.set(patientId, start);
    }
    url = page.next;
  }
  return { patientIds, admissions, lastUpdated: lastUpdated! };
}
