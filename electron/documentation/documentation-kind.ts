// What a piece of local documentation is (vital signs, an administration, a note, an amendment of a
// cached record), told from the resources of its outbox entry, and which actions of the permission
// table reading it and settling it need.
import type { PendingDocumentationData } from '../../shared/contract/index.js';
import type { Action } from '../session/index.js';
import type { OutboxItem } from '../vault/index.js';

export type DocumentationKind = PendingDocumentationData['kind'];

export function documentationKindOf(items: readonly OutboxItem[]): DocumentationKind {
  if (items.some((item) => item.operation === 'update')) return 'amendment';
  const types = new Set(items.map((item) => item.resource.resourceType));
  if (types.size === 1 && types.has('Observation')) return 'vital-signs';
  if (types.size === 1 && types.has('MedicationAdministration')) return 'medication-administration';
  if (types.size === 1 && types.has('DocumentReference')) return 'note';
  return 'amendment';
}

const READ_ACTIONS: Readonly<Record<string, Action>> = {
  Observation: 'category:read:vital-signs',
  MedicationAdministration: 'category:read:medication',
  MedicationRequest: 'category:read:medication',
  DocumentReference: 'category:read:notes',
  Condition: 'category:read:problems',
  AllergyIntolerance: 'category:read:allergies',
  Flag: 'category:read:alerts',
};

const DOCUMENT_ACTIONS: Readonly<Record<string, Action>> = {
  Observation: 'document:vital-signs',
  MedicationAdministration: 'document:medication-administration',
};

/** The actions needed to see every resource of an entry (a category per resource type; chart:read for the rest). */
export function readActionsOf(items: readonly OutboxItem[]): Action[] {
  return [...new Set(items.map((item) => READ_ACTIONS[item.resource.resourceType] ?? 'chart:read'))];
}

/** The actions needed to document every resource of an entry again (notes and other records: document:note). */
export function documentActionsOf(items: readonly OutboxItem[]): Action[] {
  return [...new Set(items.map((item) => DOCUMENT_ACTIONS[item.resource.resourceType] ?? 'document:note'))];
}
