import type {
  AllergyIntolerance,
  Condition,
  DocumentReference,
  Encounter,
  Flag,
  MedicationAdministration,
  MedicationRequest,
  Observation,
  Resource,
} from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { isRestricted } from '../access/index.js';
import { CODE_STATUS, MRN_SYSTEM, SCHEDULED_TIME_EXTENSION_URL, patientIdOf, scheduledTimeOf, validateResource } from '../fhir/index.js';
import { LAB_TESTS, SyntheticDataError, VITAL_SIGNS, generatePatientHistory, generateWard, type SyntheticWard } from './index.js';

const NOW = '2026-01-15T08:00:00Z';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let demo: SyntheticWard;
beforeAll(() => {
  demo = generateWard({ seed: 1, patients: 40, days: 30 });
});

function ofType<T extends Resource>(resources: readonly Resource[], type: T['resourceType']): T[] {
  return resources.filter((r): r is T => r.resourceType === type);
}

function decode(base64: string): string {
  return Buffer.from(base64, 'base64').toString('utf8');
}

/** Every "reference" string anywhere inside a resource. */
function referencesIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) referencesIn(v, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'reference' && typeof v === 'string') out.push(v);
      else referencesIn(v, out);
    }
  }
  return out;
}

describe('the demo ward (40 patients, 30 days)', () => {
  it('holds at least 80,000 resources, every one valid FHIR R4', () => {
    expect(demo.resources.length).toBeGreaterThanOrEqual(80_000);
    for (const resource of demo.resources) validateResource(resource);
    for (const p of demo.patients) expect(p.resources.length).toBeGreaterThan(1_800);
  });

  it('lists resources so that everything referenced comes before what references it', () => {
    const seen = new Set<string>();
    const dangling: string[] = [];
    for (const resource of demo.resources) {
      for (const ref of referencesIn(resource)) if (!seen.has(ref)) dangling.push(`${resource.resourceType}/${resource.id} → ${ref}`);
      seen.add(`${resource.resourceType}/${resource.id}`);
    }
    expect(dangling).toEqual([]);
    expect(seen.size).toBe(demo.resources.length);
  });

  it('gives every resource a unique id: UUID-shaped, or ward-/bed-shaped for Locations, never containing patient data', () => {
    const sensitive = demo.patients.flatMap((p) => p.sensitiveStrings);
    const badIds = demo.resources.filter((r) =>
      r.resourceType === 'Location' ? !/^ward-demo(-bed-\d+)?$/.test(r.id!) : !UUID.test(r.id!),
    );
    expect(badIds).toEqual([]);
    const allIds = demo.resources.map((r) => r.id).join('\n');
    expect(sensitive.filter((s) => allIds.includes(s))).toEqual([]);
    expect(new Set(demo.resources.map((r) => r.id)).size).toBe(demo.resources.length);
  });

  it('has a ward Location, beds that are part of it, and puts patient i in bed i + 1', () => {
    expect(demo.location).toMatchObject({ resourceType: 'Location', id: 'ward-demo', name: 'Demo Ward', status: 'active' });
    expect(demo.beds.length).toBeGreaterThanOrEqual(40);
    for (const bed of demo.beds) expect(bed.partOf?.reference).toBe('Location/ward-demo');
    demo.patients.forEach((p, i) => {
      const locations = p.encounter.location?.map((l) => l.location.reference);
      expect(locations).toEqual(['Location/ward-demo', `Location/ward-demo-bed-${i + 1}`]);
      expect(p.encounter.location?.[1]?.location.display).toBe(`Bed ${i + 1}`);
    });
  });

  it('admits every patient with an in-progress inpatient encounter that started about 30 days ago', () => {
    const practitioners = new Set(demo.practitioners.map((p) => `Practitioner/${p.id}`));
    for (const { patient, encounter } of demo.patients) {
      expect(encounter.status).toBe('in-progress');
      expect(encounter.class).toMatchObject({ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' });
      expect(encounter.subject?.reference).toBe(`Patient/${patient.id}`);
      expect(practitioners.has(encounter.participant?.[0]?.individual?.reference ?? '')).toBe(true);
      expect(encounter.reasonCode?.[0]?.coding?.[0]?.system).toBe('http://snomed.info/sct');
      const days = (Date.parse(NOW) - Date.parse(encounter.period!.start!)) / 86_400_000;
      expect(days).toBeGreaterThanOrEqual(30);
      expect(days).toBeLessThan(30.5);
    }
  });

  it('gives patients an MRN, a name, a sex and an adult age, and lists those as sensitive strings', () => {
    const mrns = new Set<string>();
    for (const { patient, sensitiveStrings } of demo.patients) {
      const mrn = patient.identifier?.find((i) => i.system === MRN_SYSTEM)?.value ?? '';
      expect(mrn).toMatch(/^MRN\d{7}$/);
      mrns.add(mrn);
      const name = patient.name![0]!;
      expect(['male', 'female']).toContain(patient.gender);
      const age = (Date.parse(NOW) - Date.parse(patient.birthDate!)) / (365.25 * 86_400_000);
      expect(age).toBeGreaterThanOrEqual(18);
      expect(age).toBeLessThan(96);
      expect(sensitiveStrings).toEqual(expect.arrayContaining([...name.given!, name.family!, mrn, patient.birthDate!]));
      expect(sensitiveStrings).toContain(`${name.given![0]} ${name.family}`);
    }
    expect(mrns.size).toBe(40);
  });

  it('restricts one chart in ten, labelling every resource of it R (v3-Confidentiality)', () => {
    const restricted = demo.patients.filter((p) => isRestricted(p.patient));
    expect(restricted).toHaveLength(4);
    for (const p of demo.patients) {
      const label = isRestricted(p.patient);
      expect(p.resources.filter((r) => isRestricted(r) !== label)).toEqual([]);
    }
    expect(restricted[0]!.patient.meta?.security).toEqual([
      { system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R', display: 'restricted' },
    ]);
  });

  it('keeps names, MRNs and birth dates out of every resource but the Patient, notes included', () => {
    for (const p of demo.patients) {
      const others = p.resources.filter((r) => r.resourceType !== 'Patient');
      const text =
        JSON.stringify(others) +
        ofType<DocumentReference>(others, 'DocumentReference')
          .map((d) => decode(d.content[0]!.attachment.data!))
          .join('\n');
      for (const s of p.sensitiveStrings) expect(text.includes(s), s).toBe(false);
    }
    const staff = JSON.stringify(demo.practitioners);
    for (const s of demo.patients.flatMap((p) => p.sensitiveStrings)) expect(staff.includes(s)).toBe(false);
  });

  it('assigns every resource of a patient to that patient', () => {
    for (const p of demo.patients) expect(p.resources.filter((r) => patientIdOf(r) !== p.patient.id)).toEqual([]);
  });
});

describe('charted vital signs and labs', () => {
  it('charts every vital sign at least every 4 h 30 min, in UCUM, with category vital-signs', () => {
    // Every round charts the level of responsiveness (ACVPU) too: what NEWS2 scores.
    const roundCodes = [...VITAL_SIGNS.map((v) => v.code).filter((c) => !['8480-6', '8462-4', '29463-7'].includes(c)), '67775-7'];
    for (const p of demo.patients.slice(0, 10)) {
      const vitals = ofType<Observation>(p.resources, 'Observation').filter((o) => o.category?.[0]?.coding?.[0]?.code === 'vital-signs');
      for (const code of roundCodes) {
        const times = vitals.filter((o) => o.code.coding?.[0]?.code === code).map((o) => Date.parse(o.effectiveDateTime!));
        expect(times.length).toBeGreaterThanOrEqual(30 * 6);
        for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeLessThanOrEqual(4.5 * 3_600_000);
        expect(Date.parse(NOW) - times[times.length - 1]!).toBeLessThanOrEqual(4.5 * 3_600_000);
      }
      for (const o of vitals) {
        expect(o.category?.[0]?.coding?.[0]?.system).toBe('http://terminology.hl7.org/CodeSystem/observation-category');
        if (o.valueCodeableConcept !== undefined) continue;
        const quantities = o.component ? o.component.map((c) => c.valueQuantity!) : [o.valueQuantity!];
        for (const q of quantities) expect(q.system).toBe('http://unitsofmeasure.org');
      }
    }
  });

  it('keeps vital signs in realistic ranges, blood pressure as systolic/diastolic components', () => {
    const ranges: Record<string, [number, number]> = {
      '8867-4': [35, 180],
      '9279-1': [8, 40],
      '8310-5': [34.5, 41.5],
      '59408-5': [78, 100],
      '72514-3': [0, 10],
      '3151-8': [0, 15],
      '9269-2': [3, 15],
      '29463-7': [35, 160],
    };
    const observations = ofType<Observation>(demo.resources, 'Observation');
    for (const o of observations) {
      const code = o.code.coding![0]!.code!;
      if (code === '85354-9') {
        const [systolic, diastolic] = o.component!.map((c) => c.valueQuantity!.value!);
        expect(o.component!.map((c) => c.code.coding![0]!.code)).toEqual(['8480-6', '8462-4']);
        expect(systolic!).toBeGreaterThan(diastolic!);
        expect(systolic!).toBeGreaterThanOrEqual(70);
        expect(systolic!).toBeLessThanOrEqual(230);
      } else if (ranges[code]) {
        expect(o.valueQuantity!.value!).toBeGreaterThanOrEqual(ranges[code]![0]);
        expect(o.valueQuantity!.value!).toBeLessThanOrEqual(ranges[code]![1]);
      }
    }
  });

  it('charts the level of responsiveness (ACVPU, coded in SNOMED CT) with every GCS, alert at 15', () => {
    const observations = ofType<Observation>(demo.resources, 'Observation');
    const gcsAt = new Map(
      observations
        .filter((o) => o.code.coding?.[0]?.code === '9269-2')
        .map((o) => [`${o.subject?.reference}|${o.effectiveDateTime}`, o.valueQuantity!.value!]),
    );
    const acvpu = observations.filter((o) => o.code.coding?.[0]?.code === '67775-7');
    expect(acvpu.length).toBe(gcsAt.size);
    for (const o of acvpu) {
      const coding = o.valueCodeableConcept?.coding?.[0];
      expect(coding?.system).toBe('http://snomed.info/sct');
      if (gcsAt.get(`${o.subject?.reference}|${o.effectiveDateTime}`) === 15) expect(coding?.code).toBe('248234008');
    }
    expect(acvpu.some((o) => o.valueCodeableConcept?.coding?.[0]?.code !== '248234008')).toBe(true);
  });

  it('shows abnormal episodes: some fevers, tachycardia and low saturations, but mostly normal values', () => {
    const values = (code: string) =>
      ofType<Observation>(demo.resources, 'Observation')
        .filter((o) => o.code.coding?.[0]?.code === code)
        .map((o) => o.valueQuantity!.value!);
    const temps = values('8310-5');
    const fevers = temps.filter((t) => t >= 38).length;
    expect(fevers).toBeGreaterThan(0);
    expect(fevers / temps.length).toBeLessThan(0.2);
    expect(values('8867-4').some((hr) => hr > 110)).toBe(true);
    expect(values('59408-5').some((s) => s < 90)).toBe(true);
  });

  it('results the seven morning labs daily with a reference range and a matching H/L/N interpretation', () => {
    const labs = ofType<Observation>(demo.resources, 'Observation').filter((o) => o.category?.[0]?.coding?.[0]?.code === 'laboratory');
    expect(labs.length).toBeGreaterThanOrEqual(40 * 29 * LAB_TESTS.length);
    const flags = new Set<string>();
    for (const o of labs) {
      const value = o.valueQuantity!.value!;
      const range = o.referenceRange![0]!;
      const flag = o.interpretation![0]!.coding![0]!;
      expect(flag.system).toBe('http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation');
      expect(flag.code).toBe(value > range.high!.value! ? 'H' : value < range.low!.value! ? 'L' : 'N');
      expect(Date.parse(o.issued!)).toBeGreaterThan(Date.parse(o.effectiveDateTime!));
      expect(Date.parse(o.issued!)).toBeLessThanOrEqual(Date.parse(NOW));
      flags.add(flag.code!);
    }
    expect([...flags].sort()).toEqual(['H', 'L', 'N']);
    expect(new Set(labs.map((o) => o.code.coding![0]!.code))).toEqual(new Set(LAB_TESTS.map((t) => t.code)));
  });
});

describe('medication orders and the administration record', () => {
  it('orders 3–8 active drugs per patient with RxNorm codes, a timed schedule, a route and a dose (and at most one weekly order)', () => {
    for (const p of demo.patients) {
      const all = ofType<MedicationRequest>(p.resources, 'MedicationRequest');
      const weekly = all.filter((o) => o.dosageInstruction?.[0]?.timing?.repeat?.periodUnit === 'wk');
      expect(weekly.length).toBeLessThanOrEqual(1);
      const orders = all.filter((o) => !weekly.includes(o));
      expect(orders.length).toBeGreaterThanOrEqual(3);
      expect(orders.length).toBeLessThanOrEqual(8);
      for (const order of orders) {
        expect(order.status).toBe('active');
        expect(order.medicationCodeableConcept?.coding?.[0]?.system).toBe('http://www.nlm.nih.gov/research/umls/rxnorm');
        const dosage = order.dosageInstruction![0]!;
        expect(dosage.timing?.repeat).toMatchObject({
          frequency: expect.any(Number),
          period: expect.any(Number),
          periodUnit: expect.stringMatching(/^(d|h)$/),
        });
        expect(dosage.route?.coding?.[0]?.system).toBe('http://snomed.info/sct');
        expect(dosage.doseAndRate?.[0]?.doseQuantity).toMatchObject({ unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' });
        if (dosage.timing?.repeat?.periodUnit === 'd') expect(dosage.timing.repeat.timeOfDay).toHaveLength(dosage.timing.repeat.frequency!);
      }
    }
  });

  it('gives some patients weekly methotrexate on one weekday from its boundsPeriod start, recorded once a week on that day', () => {
    const weekly = ofType<MedicationRequest>(demo.resources, 'MedicationRequest').filter(
      (o) => o.dosageInstruction?.[0]?.timing?.repeat?.periodUnit === 'wk',
    );
    expect(weekly.length).toBeGreaterThan(0);
    expect(weekly.length).toBeLessThan(demo.patients.length);
    const administrations = ofType<MedicationAdministration>(demo.resources, 'MedicationAdministration');
    for (const order of weekly) {
      const repeat = order.dosageInstruction![0]!.timing!.repeat!;
      expect(order.medicationCodeableConcept?.text).toMatch(/methotrexate/i);
      expect(repeat).toMatchObject({
        frequency: 1,
        period: 1,
        periodUnit: 'wk',
        timeOfDay: ['08:00:00'],
        boundsPeriod: { start: order.authoredOn },
      });
      expect(repeat.dayOfWeek).toHaveLength(1);
      const doses = administrations.filter((a) => a.request?.reference === `MedicationRequest/${order.id}`).map((a) => scheduledTimeOf(a)!);
      for (const due of doses) {
        expect(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][new Date(due).getUTCDay()]).toBe(repeat.dayOfWeek![0]);
        expect(due.slice(11, 19)).toBe('08:00:00');
      }
      const days = doses.map((due) => Date.parse(due)).sort((a, b) => a - b);
      for (let i = 1; i < days.length; i += 1) expect(days[i]! - days[i - 1]!).toBe(7 * 86_400_000);
    }
  });

  it('records scheduled doses with their scheduled time: most on time, a few late, a few held with a reason', () => {
    const administrations = ofType<MedicationAdministration>(demo.resources, 'MedicationAdministration');
    const orders = new Map(ofType<MedicationRequest>(demo.resources, 'MedicationRequest').map((o) => [`MedicationRequest/${o.id}`, o]));
    let late = 0;
    let held = 0;
    let scheduled = 0;
    for (const a of administrations) {
      const order = orders.get(a.request!.reference!);
      expect(order).toBeDefined();
      expect(a.subject.reference).toBe(order!.subject.reference);
      expect(Date.parse(a.effectiveDateTime!)).toBeLessThanOrEqual(Date.parse(NOW));
      const due = scheduledTimeOf(a);
      if (order!.dosageInstruction![0]!.asNeededCodeableConcept) {
        expect(due).toBeUndefined();
        continue;
      }
      scheduled += 1;
      expect(a.extension?.[0]?.url).toBe(SCHEDULED_TIME_EXTENSION_URL);
      const delayMin = (Date.parse(a.effectiveDateTime!) - Date.parse(due!)) / 60_000;
      expect(delayMin).toBeGreaterThanOrEqual(-20);
      expect(delayMin).toBeLessThanOrEqual(180);
      expect(order!.dosageInstruction![0]!.timing!.repeat!.timeOfDay).toContain(due!.slice(11, 19));
      if (a.status === 'not-done') {
        held += 1;
        expect(a.statusReason?.[0]?.text).toBeTruthy();
        expect(a.dosage).toBeUndefined();
      } else {
        expect(a.status).toBe('completed');
        expect(a.dosage?.dose?.unit).toBe('mg');
        if (delayMin > 60) late += 1;
      }
    }
    expect(held / scheduled).toBeGreaterThan(0.02);
    expect(held / scheduled).toBeLessThan(0.1);
    expect(late / scheduled).toBeGreaterThan(0.02);
    expect(late / scheduled).toBeLessThan(0.12);
  });

  it('never prescribes a drug the patient is documented to be allergic to', () => {
    for (const p of demo.patients) {
      const allergyCodes = new Set(ofType<AllergyIntolerance>(p.resources, 'AllergyIntolerance').map((a) => a.code?.coding?.[0]?.code));
      for (const order of ofType<MedicationRequest>(p.resources, 'MedicationRequest')) {
        const display = order.medicationCodeableConcept!.coding![0]!.display!.toLowerCase();
        if (allergyCodes.has('1191')) expect(display).not.toContain('aspirin');
      }
    }
  });
});

describe('problems, allergies and alert flags', () => {
  it('lists 2–6 coded problems per patient, some resolved with an abatement date', () => {
    let resolved = 0;
    for (const p of demo.patients) {
      const conditions = ofType<Condition>(p.resources, 'Condition');
      expect(conditions.length).toBeGreaterThanOrEqual(2);
      expect(conditions.length).toBeLessThanOrEqual(6);
      for (const c of conditions) {
        const status = c.clinicalStatus?.coding?.[0];
        expect(status?.system).toBe('http://terminology.hl7.org/CodeSystem/condition-clinical');
        expect(['active', 'resolved']).toContain(status?.code);
        if (status?.code === 'resolved') {
          resolved += 1;
          expect(c.abatementDateTime).toBeDefined();
        }
      }
      expect(conditions.some((c) => c.clinicalStatus?.coding?.[0]?.code === 'active')).toBe(true);
    }
    expect(resolved).toBeGreaterThan(0);
  });

  it('records 0–3 allergies, with some patients documented as having no known allergies', () => {
    let noneKnown = 0;
    let withAllergies = 0;
    for (const p of demo.patients) {
      const allergies = ofType<AllergyIntolerance>(p.resources, 'AllergyIntolerance');
      expect(allergies.length).toBeLessThanOrEqual(3);
      if (allergies.some((a) => a.code?.coding?.[0]?.code === '716186003')) noneKnown += 1;
      else if (allergies.length > 0) withAllergies += 1;
    }
    expect(noneKnown).toBeGreaterThan(0);
    expect(withAllergies).toBeGreaterThan(0);
  });

  it('gives every patient exactly one code-status flag the banner can recognise, some DNR', () => {
    let dnr = 0;
    let fallRisk = 0;
    for (const p of demo.patients) {
      const flags = ofType<Flag>(p.resources, 'Flag');
      const codeStatus = flags.filter((f) => f.category?.[0]?.coding?.[0]?.code === CODE_STATUS.category.code);
      expect(codeStatus).toHaveLength(1);
      const code = codeStatus[0]!.code.coding![0]!.code;
      expect([CODE_STATUS.fullCode.code, CODE_STATUS.doNotResuscitate.code]).toContain(code);
      if (code === CODE_STATUS.doNotResuscitate.code) dnr += 1;
      if (flags.some((f) => f.code.coding?.[0]?.code === '129839007')) fallRisk += 1;
    }
    expect(dnr).toBeGreaterThan(0);
    expect(fallRisk).toBeGreaterThan(0);
  });

  it('writes nursing and progress notes as plain text attachments', () => {
    const notes = ofType<DocumentReference>(demo.patients[0]!.resources, 'DocumentReference');
    const types = new Set(notes.map((n) => n.type?.coding?.[0]?.code));
    expect(types).toEqual(new Set(['34746-8', '11506-3']));
    expect(notes.length).toBeGreaterThanOrEqual(30 * 4 - 2);
    for (const n of notes) {
      expect(n.status).toBe('current');
      expect(n.content[0]!.attachment.contentType).toBe('text/plain; charset=utf-8');
      expect(decode(n.content[0]!.attachment.data!)).toMatch(/Observations: HR \d+/);
    }
  });
});

describe('determinism', () => {
  it('gives deeply equal output for the same seed and options', () => {
    const a = generateWard({ seed: 'same', patients: 5, days: 4 });
    const b = generateWard({ seed: 'same', patients: 5, days: 4 });
    expect(a).toEqual(b);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('gives different patients and ids for a different seed', () => {
    const a = generateWard({ seed: 'one', patients: 5, days: 2 });
    const b = generateWard({ seed: 'two', patients: 5, days: 2 });
    expect(a.patients.map((p) => p.patient.name)).not.toEqual(b.patients.map((p) => p.patient.name));
    expect(a.patients.map((p) => p.sensitiveStrings)).not.toEqual(b.patients.map((p) => p.sensitiveStrings));
    const idsA = new Set(a.resources.filter((r) => r.resourceType !== 'Location').map((r) => r.id));
    expect(b.resources.some((r) => idsA.has(r.id))).toBe(false);
  });

  it('gives disjoint ids to different wards with the same seed', () => {
    const east = generateWard({ seed: 7, patients: 5, days: 2, ward: { id: 'east-3', name: 'East 3' } });
    const west = generateWard({ seed: 7, patients: 5, days: 2, ward: { id: 'west-3', name: 'West 3' } });
    const idsEast = new Set(east.resources.map((r) => `${r.resourceType}/${r.id}`));
    expect(west.resources.filter((r) => idsEast.has(`${r.resourceType}/${r.id}`))).toEqual([]);
    expect(west.location.id).toBe('ward-west-3');
  });

  it('ends every history at `now` (default 2026-01-15T08:00:00Z) and moves with it', () => {
    const latest = (resources: Resource[]) =>
      Math.max(...ofType<Observation>(resources, 'Observation').map((o) => Date.parse(o.effectiveDateTime!)));
    const fixed = generateWard({ seed: 3, patients: 2, days: 2 });
    expect(latest(fixed.resources)).toBeLessThanOrEqual(Date.parse(NOW));
    expect(Date.parse(NOW) - latest(fixed.resources)).toBeLessThan(4.5 * 3_600_000);
    const later = generateWard({ seed: 3, patients: 2, days: 2, now: '2026-03-01T12:00:00Z' });
    expect(latest(later.resources)).toBeGreaterThan(Date.parse('2026-03-01T07:00:00Z'));
  });

  it('generates one patient exactly as the first patient of the same ward', () => {
    const ward = generateWard({ seed: 'solo', patients: 3, days: 3 });
    const solo = generatePatientHistory({ seed: 'solo', days: 3 });
    expect(solo).toEqual(ward.patients[0]);
  });
});

describe('generatePatientHistory for benchmarks', () => {
  it('gives at least 20,000 valid Observations over 400 days', () => {
    const p = generatePatientHistory({ seed: 'bench', days: 400 });
    const observations = ofType<Observation>(p.resources, 'Observation');
    expect(observations.length).toBeGreaterThanOrEqual(20_000);
    for (const r of p.resources) validateResource(r);
    expect(ofType<Encounter>(p.resources, 'Encounter')).toEqual([p.encounter]);
  });
});

describe('options', () => {
  it.each([
    [{ seed: 1, patients: 1, days: 0 }, /days/],
    [{ seed: 1, patients: 1, days: 1.5 }, /days/],
    [{ seed: 1, patients: -1, days: 1 }, /patients/],
    [{ seed: 1, patients: 1, days: 1, ward: { id: 'bad id', name: 'Bad' } }, /ward\.id/],
    [{ seed: 1, patients: 1, days: 1, ward: { id: 'ok', name: '' } }, /ward\.name/],
    [{ seed: 1, patients: 1, days: 1, now: 'yesterday' }, /now/],
    [{ seed: 1, patients: 1, days: 1, now: '2026-01-15T08:00:00' }, /now/],
    [{ seed: Number.NaN, patients: 1, days: 1 }, /seed/],
  ])('refuses %j with a SyntheticDataError naming the option', (options, message) => {
    expect(() => generateWard(options)).toThrow(SyntheticDataError);
    expect(() => generateWard(options)).toThrow(message);
  });

  it('treats a number seed and its string form alike, and allows an empty ward', () => {
    expect(generateWard({ seed: 42, patients: 2, days: 1 })).toEqual(generateWard({ seed: '42', patients: 2, days: 1 }));
    const empty = generateWard({ seed: 1, patients: 0, days: 1 });
    expect(empty.patients).toEqual([]);
    expect(empty.resources.length).toBe(1 + empty.beds.length + empty.practitioners.length);
  });
});
