// The indexed columns of a stored resource, derived from its JSON at write time: patient, code,
// category, effective time (epoch ms, for range queries), status, and the hub's meta.
import { patientIdOf, type Resource } from '../../shared/fhir/index.js';

export interface ResourceRow {
  readonly type: string;
  readonly id: string;
  readonly patientId: string | null;
  readonly category: string | null;
  readonly code: string | null;
  readonly effectiveMs: number | null;
  readonly status: string | null;
  /** Observation: valueQuantity.value (or valueInteger); null otherwise. */
  readonly valueNum: number | null;
  readonly valueUnit: string | null;
  readonly versionId: string | null;
  readonly lastUpdated: string | null;
  /** The resource's JSON: its text, or the UTF-8 bytes of that text (decoded when written). */
  readonly json: string | Buffer;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

function firstCoding(concept: unknown): Json | undefined {
  if (!isObject(concept)) return undefined;
  const coding = first(concept.coding);
  return isObject(coding) ? coding : undefined;
}

/** `code` of a CodeableConcept's first coding; with `withSystem`, `system|code` when a system is given. */
export function conceptCode(concept: unknown, withSystem = false): string | null {
  const coding = firstCoding(concept);
  if (coding === undefined || typeof coding.code !== 'string') return null;
  return withSystem && typeof coding.system === 'string' ? `${coding.system}|${coding.code}` : coding.code;
}

function categoryOf(resource: Json): string | null {
  const category = first(resource.category);
  if (typeof category === 'string') return category; // AllergyIntolerance.category is a code list
  return conceptCode(category);
}

function codeOf(resource: Json): string | null {
  switch (resource.resourceType) {
    case 'Observation':
      return conceptCode(resource.code, true);
    case 'MedicationRequest':
    case 'MedicationAdministration':
      return conceptCode(resource.medicationCodeableConcept);
    case 'DocumentReference':
      return conceptCode(resource.type);
    case 'Encounter':
      return isObject(resource.class) && typeof resource.class.code === 'string' ? resource.class.code : null;
    default:
      return conceptCode(resource.code);
  }
}

/** The first of `fields` holding a dateTime/instant (or a Period's start), as epoch ms. */
function timeOf(resource: Json, fields: readonly string[]): number | null {
  for (const field of fields) {
    const value = resource[field];
    const text = typeof value === 'string' ? value : isObject(value) && typeof value.start === 'string' ? value.start : undefined;
    if (text !== undefined) {
      const ms = Date.parse(text);
      if (!Number.isNaN(ms)) return ms;
    }
  }
  return null;
}

const TIME_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Observation: ['effectiveDateTime', 'effectiveInstant', 'effectivePeriod', 'issued'],
  MedicationAdministration: ['effectiveDateTime', 'effectivePeriod'],
  MedicationRequest: ['authoredOn'],
  Condition: ['onsetDateTime', 'onsetPeriod', 'recordedDate'],
  AllergyIntolerance: ['onsetDateTime', 'onsetPeriod', 'recordedDate'],
  DocumentReference: ['date'],
  Encounter: ['period'],
  Flag: ['period'],
  Procedure: ['performedDateTime', 'performedPeriod'],
  Provenance: ['recorded'],
  AuditEvent: ['recorded'],
};

function statusOf(resource: Json): string | null {
  if (typeof resource.status === 'string') return resource.status;
  return conceptCode(resource.clinicalStatus);
}

function observationValue(resource: Json): { valueNum: number | null; valueUnit: string | null } {
  if (resource.resourceType !== 'Observation') return { valueNum: null, valueUnit: null };
  const quantity = isObject(resource.valueQuantity) ? resource.valueQuantity : undefined;
  if (quantity !== undefined && typeof quantity.value === 'number') {
    const unit = typeof quantity.unit === 'string' ? quantity.unit : typeof quantity.code === 'string' ? quantity.code : null;
    return { valueNum: quantity.value, valueUnit: unit };
  }
  if (typeof resource.valueInteger === 'number') return { valueNum: resource.valueInteger, valueUnit: null };
  return { valueNum: null, valueUnit: null };
}

/**
 * The row to store for a validated resource that has an id. `storedJson`, when given, is the text the
 * resource was parsed from (JSON.parse(storedJson) made `resource`), or its UTF-8 bytes, stored as it
 * is instead of serialising the resource again.
 */
export function resourceRow(resource: Resource & { id: string }, storedJson?: string | Buffer): ResourceRow {
  const json = resource as unknown as Json;
  const meta = isObject(json.meta) ? json.meta : {};
  return {
    type: resource.resourceType,
    id: resource.id,
    patientId: patientIdOf(resource) ?? null,
    category: categoryOf(json),
    code: codeOf(json),
    effectiveMs: timeOf(json, TIME_FIELDS[resource.resourceType] ?? []),
    status: statusOf(json),
    ...observationValue(json),
    versionId: typeof meta.versionId === 'string' ? meta.versionId : null,
    lastUpdated: typeof meta.lastUpdated === 'string' ? meta.lastUpdated : null,
    json: storedJson ?? JSON.stringify(resource),
  };
}
