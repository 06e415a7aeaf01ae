// Which records of a conflict were withdrawn as entered in error meanwhile (so the card offers no way
// to bring them back): the hub's version withdrawn, the EHR's copy withdrawn in a conflict with the
// EHR, or a change the hub refused as such (422 RETRACTED_RECORD) without showing its version.
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../shared/fhir/index.js';
import type { ConflictRecord } from '../vault/index.js';
import { withdrawnRecordsOf } from './withdrawn-records.js';

const reading: Observation = {
  resourceType: 'Observation',
  id: 'hr-1',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
  subject: { reference: 'Patient/p1' },
  effectiveDateTime: '2026-12-07T09:00:00Z',
  valueQuantity: { value: 79, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
};
const corrected: Observation & { id: string } = {
  ...reading,
  id: 'hr-1',
  status: 'corrected',
  valueQuantity: { ...reading.valueQuantity, value: 72 },
};

function conflict(reason: ConflictRecord['reason'], errorCode: string | null, hub: Observation[]): ConflictRecord {
  return {
    conflictId: 'c1',
    entryId: 'e1',
    patientId: 'p1',
    reason,
    errorCode,
    local: {
      entryId: 'e1',
      patientId: 'p1',
      items: [{ operation: 'update', resource: corrected, baseVersion: '1' }],
      provenance: null,
      createdAt: '2026-12-07T09:05:00Z',
    },
    hub,
    hubVersionsOnly: [],
    detectedAt: '2026-12-07T09:10:00Z',
    chartRestricted: false,
  };
}

describe('withdrawnRecordsOf', () => {
  it("lists the hub's version withdrawn as entered in error, and nothing for another change", () => {
    const withdrawn = { ...reading, status: 'entered-in-error' as const, meta: { versionId: '2' } };
    expect(withdrawnRecordsOf(conflict('version-conflict', 'VERSION_CONFLICT', [withdrawn]))).toEqual([
      expect.objectContaining({ withdrawn, local: corrected }),
    ]);
    expect(withdrawnRecordsOf(conflict('version-conflict', 'VERSION_CONFLICT', [{ ...reading, note: [{ text: 'checked' }] }]))).toEqual([]);
  });

  it("lists the EHR's copy withdrawn in a conflict with the EHR (its own id), not an EHR correction", () => {
    const ehr = { ...reading, id: 'ehr-9', status: 'entered-in-error' as const };
    expect(withdrawnRecordsOf(conflict('upstream-conflict', 'UPSTREAM_DOCUMENTATION_CHANGED', [ehr]))).toEqual([
      expect.objectContaining({ withdrawn: ehr, local: corrected, refusal: expect.stringContaining("hospital's EHR") }),
    ]);
    expect(withdrawnRecordsOf(conflict('upstream-conflict', 'UPSTREAM_DOCUMENTATION_CHANGED', [{ ...ehr, status: 'corrected' }]))).toEqual(
      [],
    );
  });

  it('lists a change the hub refused as bringing back a withdrawn record it did not show', () => {
    expect(withdrawnRecordsOf(conflict('rejected', 'RETRACTED_RECORD', []))).toEqual([
      expect.objectContaining({ withdrawn: null, local: corrected }),
    ]);
    expect(withdrawnRecordsOf(conflict('rejected', 'IMPLAUSIBLE_VITAL_SIGN', []))).toEqual([]);
  });
});
