// "Entered in error is final", the one rule the hub, the workstation and the hub's upstream sender
// apply: a write over a withdrawn record, or over a version held as a conflict with the EHR whose EHR
// copy is withdrawn, may add a note but not change the record's status or reading; the users'
// decision to keep it from the EHR (tagged withheld) is not sent, so it stands.
import { describe, expect, it } from 'vitest';
import type { Observation } from '@medplum/fhirtypes';
import { RETRACTED_IN_EHR_MESSAGE, RETRACTED_IS_FINAL_MESSAGE, withdrawalUndoneBy } from './correction-marks.js';
import { UPSTREAM_CONFLICT_TAG_SYSTEM, UPSTREAM_WITHHELD_TAG_SYSTEM } from './upstream-conflict.js';

const reading: Observation = {
  resourceType: 'Observation',
  id: 'hr-1',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
  subject: { reference: 'Patient/p1' },
  effectiveDateTime: '2026-12-07T09:00:00Z',
  valueQuantity: { value: 79, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
};
const corrected: Observation = { ...reading, status: 'corrected', valueQuantity: { ...reading.valueQuantity, value: 72 } };
const withdrawn: Observation = { ...reading, status: 'entered-in-error' };

/** The hub's version of the ward's correction, held as a conflict with the EHR's copy `ehr`. */
function heldAsConflict(ehr: Observation): Observation {
  const { id: _id, ...copy } = ehr;
  return {
    ...corrected,
    meta: { tag: [{ system: UPSTREAM_CONFLICT_TAG_SYSTEM, code: 'UPSTREAM_DOCUMENTATION_CHANGED' }] },
    contained: [{ ...copy, id: 'ehr-9' }],
  };
}

describe('withdrawalUndoneBy', () => {
  it("refuses a change of a withdrawn record's status or reading, and takes a note added to it", () => {
    expect(withdrawalUndoneBy(withdrawn, { ...reading, status: 'final' })).toBe(RETRACTED_IS_FINAL_MESSAGE);
    expect(withdrawalUndoneBy(withdrawn, { ...corrected })).toBe(RETRACTED_IS_FINAL_MESSAGE);
    expect(withdrawalUndoneBy(withdrawn, { ...withdrawn, valueQuantity: { ...reading.valueQuantity, value: 80 } })).toBe(
      RETRACTED_IS_FINAL_MESSAGE,
    );
    expect(withdrawalUndoneBy(withdrawn, { ...withdrawn, note: [{ text: 'Another patient’s reading.' }] })).toBeNull();
    expect(withdrawalUndoneBy(reading, corrected)).toBeNull();
  });

  it("refuses a version that would go to the EHR over the EHR's withdrawn copy, unless the users kept it from the EHR", () => {
    const held = heldAsConflict(withdrawn);
    const { meta: _meta, contained: _contained, ...documented } = held;
    expect(withdrawalUndoneBy(held, documented)).toBe(RETRACTED_IN_EHR_MESSAGE);
    const keptFromEhr = {
      ...documented,
      meta: { tag: [{ system: UPSTREAM_WITHHELD_TAG_SYSTEM, code: 'UPSTREAM_DOCUMENTATION_CHANGED' }] },
    };
    expect(withdrawalUndoneBy(held, keptFromEhr)).toBeNull();
    // The ward withdrew it too: the same reading, withdrawn, goes.
    expect(withdrawalUndoneBy(held, { ...withdrawn, note: [{ text: 'Entered in error.' }] })).toBeNull();
    // The EHR corrected its copy (not withdrawn): the users' decision to send theirs stands.
    expect(
      withdrawalUndoneBy(
        heldAsConflict({ ...reading, status: 'corrected', valueQuantity: { ...reading.valueQuantity, value: 75 } }),
        documented,
      ),
    ).toBeNull();
  });
});
