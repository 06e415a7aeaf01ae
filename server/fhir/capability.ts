// What the hub supports, per resource type: interactions and search parameters. The routes consult
// this table (405 for an interaction not listed, 400 for a search parameter not listed) and the
// CapabilityStatement is generated from it, so the two cannot disagree. Every search parameter is
// one FHIR R4 defines for that type, named in the statement by its canonical SearchParameter, or,
// where the hub's meaning differs from R4's, the hub's own SearchParameter contained in the statement.
import { SUPPORTED_RESOURCE_TYPES } from '../../shared/fhir/index.js';
import { capabilitySecurity } from './smart-configuration.js';
import { includesOf } from './search-includes.js';
import { DATE_SEARCH_PARAM } from './store/index.js';

export type TypeInteraction = 'read' | 'vread' | 'update' | 'delete' | 'create' | 'search-type' | 'history-instance' | 'history-type';

export type SearchParamName =
  | '_id'
  | '_lastUpdated'
  | 'identifier'
  | 'patient'
  | 'subject'
  | 'status'
  | 'location'
  | 'code'
  | 'category'
  | '_cursor'
  | ClinicalDateParamName
  | AuditSearchParamName;

/** The date parameters of the resource store, one per type (store/clinical-terms.ts). */
export type ClinicalDateParamName = 'date' | 'effective-time' | 'authoredon' | 'recorded-date';

/** The privacy officer's search of the trail (server/audit-trail answers it; the resource store does not). */
export type AuditSearchParamName =
  | 'date'
  | 'agent'
  | 'agent-name'
  | 'source'
  | 'patient.identifier'
  | 'patient.name'
  | 'wardline-action'
  | 'type'
  | 'subtype'
  | 'wardline-dedup';

export interface SearchParamDefinition {
  readonly name: SearchParamName;
  readonly type: 'token' | 'reference' | 'date' | 'string' | 'number';
  readonly documentation: string;
}

export interface TypeCapability {
  readonly type: string;
  readonly interactions: readonly TypeInteraction[];
  readonly searchParams: readonly SearchParamName[];
  readonly searchIncludes: readonly string[];
  readonly operations: readonly string[];
}

export const SEARCH_PARAMS: Readonly<Record<SearchParamName, SearchParamDefinition>> = {
  _id: { name: '_id', type: 'token', documentation: 'Logical id; several ids separated by commas.' },
  _lastUpdated: { name: '_lastUpdated', type: 'date', documentation: 'meta.lastUpdated with prefixes eq, ne, gt, lt, ge, le.' },
  identifier: { name: 'identifier', type: 'token', documentation: 'system|value, |value, system| or value.' },
  patient: { name: 'patient', type: 'reference', documentation: 'The patient the resource belongs to (Patient/{id} or {id}).' },
  subject: { name: 'subject', type: 'reference', documentation: 'The subject, when it is a Patient (Patient/{id}).' },
  status: { name: 'status', type: 'token', documentation: 'The resource status code; several separated by commas.' },
  location: {
    name: 'location',
    type: 'reference',
    documentation: 'A Location the Encounter is at now (not completed), e.g. the ward or a bed.',
  },
  date: {
    name: 'date',
    type: 'date',
    documentation: 'When it happened (R4 path of the type), with prefixes eq, ne, gt, lt, ge, le; may be repeated.',
  },
  code: {
    name: 'code',
    type: 'token',
    documentation: 'A coding of the code (system|code, |code, system| or code); several separated by commas.',
  },
  category: {
    name: 'category',
    type: 'token',
    documentation: 'A coding of the category (system|code or code); several separated by commas.',
  },
  'effective-time': {
    name: 'effective-time',
    type: 'date',
    documentation: 'When the administration happened (effective[x]), with prefixes eq, ne, gt, lt, ge, le.',
  },
  authoredon: { name: 'authoredon', type: 'date', documentation: 'When the order was written, with prefixes eq, ne, gt, lt, ge, le.' },
  'recorded-date': {
    name: 'recorded-date',
    type: 'date',
    documentation: 'When the condition was recorded, with prefixes eq, ne, gt, lt, ge, le.',
  },
  agent: {
    name: 'agent',
    type: 'reference',
    documentation: 'The user (Practitioner/{id} or the hub user id); several separated by commas.',
  },
  'agent-name': {
    name: 'agent-name',
    type: 'string',
    documentation: 'The username; also finds failed sign-ins that tried it. Several separated by commas.',
  },
  source: { name: 'source', type: 'reference', documentation: 'The workstation (Device/{client id}).' },
  'patient.identifier': { name: 'patient.identifier', type: 'token', documentation: "The patient's MRN." },
  'patient.name': { name: 'patient.name', type: 'string', documentation: "Words of the patient's current name." },
  'wardline-action': {
    name: 'wardline-action',
    type: 'token',
    documentation:
      'Wardline actions (chart-read, query, sign-in-failed, btg-access, trail-search, trail-export, …); several separated by commas.',
  },
  type: { name: 'type', type: 'token', documentation: 'AuditEvent.type code (system|code or code); several separated by commas.' },
  subtype: { name: 'subtype', type: 'token', documentation: 'AuditEvent.subtype code (system|code or code); several separated by commas.' },
  'wardline-dedup': {
    name: 'wardline-dedup',
    type: 'token',
    documentation: 'false: every census read as recorded; default true: repeats in one session shown once, with their count.',
  },
  _cursor: {
    name: '_cursor',
    type: 'string',
    documentation: "Where the page starts: the next link's value (opaque); the hub's paging, on every search it pages.",
  },
};

/**
 * Parameters R4 does not define for the type, which the hub defines itself: each is a
 * SearchParameter contained in the CapabilityStatement, named by its own canonical URL, with the
 * FHIRPath of the values it matches where it matches an element (null: the parameter steers the
 * search or matches what the hub derives, as its description says).
 */
const OWN_PARAMS: ReadonlyMap<string, string | null> = new Map([
  // R4's Encounter-location matches every location the Encounter lists; the hub's matches the ones it
  // is at now (not completed), which is what a ward's census asks.
  ['Encounter location', "Encounter.location.where(status != 'completed').location"],
  ['AuditEvent patient.identifier', 'AuditEvent.entity.what.where(resolve() is Patient).resolve().identifier'],
  ['AuditEvent patient.name', 'AuditEvent.entity.what.where(resolve() is Patient).resolve().name'],
  // The Wardline action an event records, derived from its type and subtype (docs/AUDIT.md).
  ['AuditEvent wardline-action', null],
  ['AuditEvent wardline-dedup', null],
]);

/**
 * The hub's paging parameter: every `next` link it writes (a search of any type, the trail's search,
 * history, `$everything`) carries `_cursor`, a parameter R4 does not define, so each searchable type
 * declares it as the hub's own, and a client following the statement meets no undeclared parameter.
 */
const PAGING_PARAM: SearchParamName = '_cursor';
const PAGING_DOCUMENTATION = "Paged: follow the Bundle's `next` link, whose `_cursor` (opaque) says where the page starts.";

function ownParamId(type: string, name: SearchParamName): string {
  return `${type}-${name.replace(/[^A-Za-z0-9\-.]/g, '')}`;
}

/** A computer-friendly name as R4 asks of a SearchParameter (spd-0: `[A-Z]([A-Za-z0-9_]){0,254}`). */
function ownParamName(type: string, name: SearchParamName): string {
  return `${type}${name
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('')}`;
}

/** The hub's own SearchParameter for a parameter R4 does not define on the type, or null. */
export function ownSearchParameter(type: string, name: SearchParamName): Record<string, unknown> | null {
  const expression = name === PAGING_PARAM ? null : OWN_PARAMS.get(`${type} ${name}`);
  if (expression === undefined) return null;
  const id = ownParamId(type, name);
  return {
    resourceType: 'SearchParameter',
    id,
    url: `urn:wardline:fhir:SearchParameter:${id}`,
    name: ownParamName(type, name),
    status: 'active',
    description: SEARCH_PARAMS[name].documentation,
    code: name,
    base: [type],
    type: SEARCH_PARAMS[name].type,
    ...(expression === null ? {} : { expression }),
  };
}

/** The canonical R4 SearchParameter of a parameter on a type (http://hl7.org/fhir/SearchParameter/…). */
export function searchParamDefinition(type: string, name: SearchParamName): string {
  const own = ownSearchParameter(type, name);
  if (own) return own.url as string;
  const base = 'http://hl7.org/fhir/SearchParameter/';
  if (name === '_id') return `${base}Resource-id`;
  if (name === '_lastUpdated') return `${base}Resource-lastUpdated`;
  const clinicalIdentifier = [
    'AllergyIntolerance',
    'Condition',
    'DocumentReference',
    'Encounter',
    'MedicationAdministration',
    'MedicationRequest',
    'Observation',
  ];
  if (name === 'identifier' && clinicalIdentifier.includes(type)) return `${base}clinical-identifier`;
  if (name === 'patient' && type !== 'Provenance' && type !== 'AuditEvent') return `${base}clinical-patient`;
  if (name === 'status' && (type === 'MedicationAdministration' || type === 'MedicationRequest')) return `${base}medications-status`;
  if (name === 'code' && type !== 'AuditEvent') return `${base}clinical-code`;
  if (name === 'date' && ['AllergyIntolerance', 'Encounter', 'Flag', 'Observation'].includes(type)) return `${base}clinical-date`;
  return `${base}${type}-${name}`;
}

/**
 * No type lists `delete`: no client of the API deletes (documentation is corrected or marked
 * entered in error by an update with If-Match; the EHR's data changes only through its feeds, which
 * write without a request). `deleteResource` answers a DELETE with 405 DELETE_NOT_ALLOWED.
 */
const ALL: readonly TypeInteraction[] = ['read', 'vread', 'update', 'create', 'search-type', 'history-instance', 'history-type'];
const COMMON: readonly SearchParamName[] = ['_id', '_lastUpdated', PAGING_PARAM];

/** The type's date parameter, if the store indexes one for it. */
function dateParam(type: string): SearchParamName[] {
  const param = DATE_SEARCH_PARAM[type];
  return param ? [param.name as ClinicalDateParamName] : [];
}

function clinical(type: string, extra: readonly SearchParamName[], subject = true): TypeCapability {
  return {
    type,
    interactions: ALL,
    searchParams: [...COMMON, 'identifier', 'patient', ...(subject ? (['subject'] as const) : []), ...extra, ...dateParam(type)],
    searchIncludes: includesOf(type),
    operations: [],
  };
}

const TABLE: readonly TypeCapability[] = [
  { type: 'Patient', interactions: ALL, searchParams: [...COMMON, 'identifier'], searchIncludes: [], operations: ['everything'] },
  clinical('Encounter', ['status', 'location']),
  { type: 'Location', interactions: ALL, searchParams: [...COMMON, 'identifier', 'status'], searchIncludes: [], operations: [] },
  { type: 'Practitioner', interactions: ALL, searchParams: [...COMMON, 'identifier'], searchIncludes: [], operations: [] },
  // R4 defines no `subject` for AllergyIntolerance and no `status` for Flag.
  clinical('AllergyIntolerance', ['code', 'category'], false),
  clinical('Condition', ['code', 'category']),
  clinical('MedicationRequest', ['status', 'code', 'category']),
  clinical('MedicationAdministration', ['status', 'code']),
  clinical('Observation', ['status', 'code', 'category']),
  clinical('DocumentReference', ['status', 'category']),
  clinical('Flag', []),
  { type: 'Provenance', interactions: ALL, searchParams: [...COMMON, 'patient'], searchIncludes: [], operations: [] },
  // Audit events are uploaded (PUT with the workstation's id, alone or in a batch) and checked
  // against the device's hash chain; the privacy officer's role searches the hub's trail
  // (server/audit-trail), newest first, with names and MRNs resolved when read.
  {
    type: 'AuditEvent',
    interactions: ['update', 'search-type'],
    searchParams: [
      'date',
      'patient',
      'patient.identifier',
      'patient.name',
      'agent',
      'agent-name',
      'source',
      'wardline-action',
      'type',
      'subtype',
      'wardline-dedup',
      PAGING_PARAM,
    ],
    searchIncludes: [],
    operations: [],
  },
];

const BY_TYPE: ReadonlyMap<string, TypeCapability> = new Map(TABLE.map((entry) => [entry.type, entry]));

export function capabilityOf(type: string): TypeCapability | undefined {
  return BY_TYPE.get(type);
}

export function supports(type: string, interaction: TypeInteraction): boolean {
  return BY_TYPE.get(type)?.interactions.includes(interaction) ?? false;
}

/** Every supported type appears in the table (checked by a unit test too). */
export const CAPABILITY_TYPES: readonly string[] = TABLE.map((entry) => entry.type);

export const SYSTEM_INTERACTIONS = ['transaction', 'batch', 'history-system'] as const;

export interface CapabilityOptions {
  readonly baseUrl: string;
  readonly software: { name: string; version: string };
  readonly date: string;
}

/** The CapabilityStatement served at /fhir/metadata. */
export function capabilityStatement(options: CapabilityOptions): Record<string, unknown> {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: options.date,
    kind: 'instance',
    software: options.software,
    implementation: { description: 'Wardline hub', url: options.baseUrl },
    contained: TABLE.flatMap((entry) =>
      entry.searchParams.map((name) => ownSearchParameter(entry.type, name)).filter((own) => own !== null),
    ),
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        security: capabilitySecurity(
          options.baseUrl.replace(/\/fhir$/, ''),
          'Device bearer token (SMART Backend Services, private_key_jwt ES384, system/*.read and/or system/*.write) on every request; ' +
            'a user token in X-Wardline-User for user actions, checked against the role table. A device keeps its ward; documentation ' +
            'names its recorder (a Provenance); Patient, Encounter, Location and Practitioner come from the ADT source only; restricted ' +
            'and out-of-ward charts need a user token and an X-Wardline-Btg-Reason header.',
        ),
        resource: TABLE.map((entry) => ({
          type: entry.type,
          interaction: entry.interactions.map((code) =>
            code.startsWith('history-') ? { code, documentation: PAGING_DOCUMENTATION } : { code },
          ),
          versioning: 'versioned',
          readHistory: entry.interactions.includes('vread'),
          updateCreate: true,
          conditionalCreate: entry.interactions.includes('create'),
          conditionalUpdate: false,
          conditionalDelete: 'not-supported',
          ...(entry.searchIncludes.length ? { searchInclude: entry.searchIncludes } : {}),
          ...(entry.searchParams.length
            ? {
                searchParam: entry.searchParams.map((name) => ({
                  name,
                  definition: searchParamDefinition(entry.type, name),
                  type: SEARCH_PARAMS[name].type,
                  documentation: SEARCH_PARAMS[name].documentation,
                })),
              }
            : {}),
          ...(entry.operations.length
            ? {
                operation: entry.operations.map((name) => ({
                  name,
                  definition: `http://hl7.org/fhir/OperationDefinition/${entry.type}-${name}`,
                  documentation: PAGING_DOCUMENTATION,
                })),
              }
            : {}),
        })),
        interaction: SYSTEM_INTERACTIONS.map((code) =>
          code === 'history-system' ? { code, documentation: PAGING_DOCUMENTATION } : { code },
        ),
      },
    ],
  };
}

export { SUPPORTED_RESOURCE_TYPES };
