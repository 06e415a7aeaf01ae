// The Provenance of an EHR change the hub takes in (ehr-copies.ts): a version of the hub's
// documentation whose content the EHR changed (a reviewer marked it entered-in-error, corrected the
// value there). It says who and what changed it, as the hub's other Provenances do for a ward's
// writes: the EHR, the integration the hub took it from (an application agent named by the EHR's
// base URL, as `--upstream` gives it), and first, when the EHR's version names who made it
// (`meta.author`, as Medplum's engine and others record it), that author as the EHR names them (an
// absolute reference into the EHR: the hub holds no such resource). Its target is the hub's version
// and the patient; its entity the EHR's version it came from. Its `meta.source` is that EHR version,
// so the feeder (documentation-outbox.ts) never sends it back: it came from the EHR.
import { randomUUID } from 'node:crypto';
import { DCM, patientIdOf, type Provenance, type Resource } from '../../../shared/fhir/index.js';
import { DATA_OPERATION, PARTICIPANT_TYPE } from '../../fhir/index.js';
import { upstreamSourceOf } from './upstream-resource.js';

type Reference = NonNullable<Provenance['agent'][number]['who']>;

/** The author the EHR's version names, with a relative reference made absolute at the EHR. */
function ehrAuthor(ehr: Resource, baseUrl: string): Reference | null {
  const author = (ehr.meta as { author?: Reference } | undefined)?.author;
  if (author === undefined || typeof author !== 'object') return null;
  const { reference, display, identifier, type } = author;
  if (reference === undefined && display === undefined && identifier === undefined) return null;
  const absolute = reference === undefined || /^[a-z][a-z0-9+.-]*:/i.test(reference) ? reference : `${baseUrl}/${reference}`;
  return {
    ...(absolute !== undefined ? { reference: absolute } : {}),
    ...(type !== undefined ? { type } : {}),
    ...(identifier !== undefined ? { identifier } : {}),
    ...(display !== undefined ? { display } : {}),
  };
}

export interface EhrChangeProvenanceOptions {
  /** The hub's documentation as just written (`Type/id`, its new version). */
  readonly hub: Resource;
  readonly hubVersion: number;
  /** The EHR's version it came from, as the EHR answered it. */
  readonly ehr: Resource;
  readonly baseUrl: string;
  readonly now: Date;
}

export function ehrChangeProvenance(options: EhrChangeProvenanceOptions): Provenance & { id: string } {
  const { hub, ehr, baseUrl } = options;
  const patientId = patientIdOf(hub);
  const author = ehrAuthor(ehr, baseUrl);
  const recorded = options.now.toISOString();
  return {
    resourceType: 'Provenance',
    id: randomUUID(),
    meta: { source: upstreamSourceOf(baseUrl, ehr) },
    target: [
      { reference: `${hub.resourceType}/${hub.id}/_history/${options.hubVersion}` },
      ...(patientId === undefined ? [] : [{ reference: `Patient/${patientId}` }]),
    ],
    occurredDateTime: ehr.meta?.lastUpdated ?? recorded,
    recorded,
    activity: { coding: [{ system: DATA_OPERATION, code: 'UPDATE', display: 'revise' }], text: 'Changed in the EHR' },
    agent: [
      ...(author === null ? [] : [{ type: { coding: [{ system: PARTICIPANT_TYPE, code: 'author', display: 'Author' }] }, who: author }]),
      {
        type: { coding: [{ system: DCM, code: '110150', display: 'Application' }], text: 'EHR' },
        who: { identifier: { system: 'urn:ietf:rfc:3986', value: baseUrl }, display: 'The EHR (upstream FHIR server)' },
      },
    ],
    entity: [{ role: 'source', what: { reference: `${baseUrl}/${ehr.resourceType}/${ehr.id}/_history/${ehr.meta?.versionId ?? ''}` } }],
  };
}
