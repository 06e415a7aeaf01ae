// Which permission a resource needs, as the hub's access policy asks it: a clerk's census and
// demographics, a nurse's vital signs and administrations, nobody's orders.
import { describe, expect, it } from 'vitest';
import { ADT_TYPES, documentActionOf, OBSERVATION_CATEGORY_SYSTEM, readActionOf, readActionsOfType } from './chart-categories.js';
import { isPermitted } from './permissions.js';

const vital = { resourceType: 'Observation', category: [{ coding: [{ system: OBSERVATION_CATEGORY_SYSTEM, code: 'vital-signs' }] }] };
const lab = { resourceType: 'Observation', category: [{ coding: [{ system: OBSERVATION_CATEGORY_SYSTEM, code: 'laboratory' }] }] };

describe('chart categories of FHIR resources', () => {
  it('reads an Observation by its category, and one without a category as a result (laboratory)', () => {
    expect(readActionOf(vital)).toBe('category:read:vital-signs');
    expect(readActionOf(lab)).toBe('category:read:laboratory');
    expect(readActionOf({ resourceType: 'Observation' })).toBe('category:read:laboratory');
    expect(readActionOf({ ...vital, category: [{ coding: [{ system: 'http://example.org', code: 'vital-signs' }] }] })).toBe(
      'category:read:laboratory',
    );
  });

  it('lets a clerk read the census and demographics but no clinical category', () => {
    expect(isPermitted('clerk', readActionOf({ resourceType: 'Encounter' })!)).toBe(true);
    expect(isPermitted('clerk', readActionOf({ resourceType: 'Patient' })!)).toBe(true);
    for (const type of ['AllergyIntolerance', 'Condition', 'MedicationRequest', 'MedicationAdministration', 'DocumentReference', 'Flag']) {
      expect(isPermitted('clerk', readActionOf({ resourceType: type })!), type).toBe(false);
    }
    expect(isPermitted('clerk', readActionOf(vital)!)).toBe(false);
  });

  it('needs every category an Observation search may return', () => {
    expect(readActionsOfType('Observation')).toEqual(['category:read:vital-signs', 'category:read:laboratory']);
    expect(readActionsOfType('Location')).toEqual([]);
    expect(readActionsOfType('AuditEvent')).toBeNull();
  });

  it('lets nurses document vital signs and administrations, physicians notes, and nobody orders, labs or ADT data', () => {
    expect(documentActionOf(vital)).toBe('document:vital-signs');
    expect(documentActionOf({ resourceType: 'MedicationAdministration' })).toBe('document:medication-administration');
    expect(documentActionOf({ resourceType: 'DocumentReference' })).toBe('document:note');
    expect(isPermitted('physician', documentActionOf({ resourceType: 'DocumentReference' })!)).toBe(true);
    expect(isPermitted('physician', documentActionOf(vital)!)).toBe(false);
    for (const resourceType of ['MedicationRequest', 'Condition', 'AllergyIntolerance', 'Flag', ...ADT_TYPES]) {
      expect(documentActionOf({ resourceType }), resourceType).toBeNull();
    }
    expect(documentActionOf(lab)).toBeNull();
  });
});
