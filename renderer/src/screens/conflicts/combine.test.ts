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
});
