import { describe, expect, it } from 'vitest';
import { unmarkedCorrection } from '../../../../shared/fhir/index.js';
import { combinedResources } from './combine.js';

const hub = {
  resourceType: 'Observation',
  id: 'o-1',
  meta: { versionId: '3' },
  status: 'final',
  valueQuantity: { value: 80, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
};
const mine = { ...hub, meta: { versionId: '2' }, status: 'corrected', valueQuantity: { ...hub.valueQuantity, value: 95 } };

describe('combinedResources', () => {
  it("marks a combination that takes this workstation's reading but the hub's status as a correction, as the hub requires", () => {
    const [combined] = combinedResources([mine], [hub], { 'Observation/o-1': { valueQuantity: 'mine', status: 'hub', meta: 'hub' } });
    expect(combined).toMatchObject({ status: 'corrected', valueQuantity: { value: 95 }, meta: { versionId: '3' } });
    expect(unmarkedCorrection(hub, combined as typeof hub)).toBeNull();
  });

  it("keeps the hub's version as it is when every field is the hub's", () => {
    const [combined] = combinedResources([mine], [hub], { 'Observation/o-1': { valueQuantity: 'hub', status: 'hub', meta: 'hub' } });
    expect(combined).toEqual(hub);
  });

  it('never re-marks a dose: a dose edited in place stays for the hub to refuse with its reason', () => {
    const hubDose = { resourceType: 'MedicationAdministration', id: 'm-1', status: 'completed', dosage: { text: '5 mg' } };
    const myDose = { ...hubDose, dosage: { text: '10 mg' } };
    const [combined] = combinedResources([myDose], [hubDose], { 'MedicationAdministration/m-1': { dosage: 'mine' } });
    expect(combined).toEqual(myDose);
  });
  describe('a correction met by a colleague’s (review 11 #4)', () => {
    const reason = 'Reason: Wrong value typed.';
    const original = { ...hub, meta: { versionId: '1' }, status: 'final', valueQuantity: { ...hub.valueQuantity, value: 79 } };
    const nurse = { authorReference: { reference: 'Practitioner/nurse' }, time: '2026-12-07T16:00:00Z' };
    const mineCorrected = {
      ...original,
      status: 'corrected',
      valueQuantity: { ...hub.valueQuantity, value: 82 },
      note: [{ ...nurse, text: `Corrected from 79 /min to 82 /min. ${reason}` }],
    };
    const colleagues = {
      ...original,
      meta: { versionId: '2' },
      status: 'corrected',
      valueQuantity: { ...hub.valueQuantity, value: 80 },
      note: [{ text: 'Rechecked by noor at the monitor' }],
    };
    const key = `Observation/${hub.id}`;

    it("keeps the hub's value with both notes, the correction note saying it was not kept", () => {
      const [combined] = combinedResources([mineCorrected], [colleagues], { [key]: { valueQuantity: 'hub', status: 'hub' } });
      expect(combined).toMatchObject({ valueQuantity: { value: 80 }, meta: { versionId: '2' } });
      expect((combined!.note as { text: string }[]).map((n) => n.text)).toEqual([
        'Rechecked by noor at the monitor',
        `A correction to 82 /min was documented at the same time and not kept: the value stays 80 /min. ${reason}`,
      ]);
      expect(JSON.stringify(combined)).not.toContain('Corrected from 79 /min to 82');
    });

    it("keeps this workstation's value with both notes, the correction note rebuilt from the hub's value", () => {
      const [combined] = combinedResources([mineCorrected], [colleagues], { [key]: { valueQuantity: 'mine', status: 'hub' } });
      expect(combined).toMatchObject({ valueQuantity: { value: 82 }, status: 'corrected' });
      expect((combined!.note as { text: string }[]).map((n) => n.text)).toEqual([
        'Rechecked by noor at the monitor',
        `Corrected from 80 /min to 82 /min. ${reason}`,
      ]);
    });
  });
});
