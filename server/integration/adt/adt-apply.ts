// What each ADT event does to the hub's Patient, Encounter and Location resources, inside the
// message's one write transaction (server/fhir feedTransaction). A message that does not fit what
// the hub holds (a discharge before its admit, an unknown ward, an event older than one already
// applied to the patient, a second stay for a patient already in one) throws an AdtError and changes
// nothing. A bed's occupancy follows who is in it (settleBeds). A changed resource keeps its meta
// (tags, security labels such as a restricted chart's); the store sets versionId and lastUpdated.
import type { Encounter, Location, Patient } from '../../../shared/fhir/index.js';
import { BED_STATUS_SYSTEM, endOfChain, LOCATION_PHYSICAL_TYPE_SYSTEM, MRN_SYSTEM, replacedBy } from '../../../shared/fhir/index.js';
import type { FeedResource, FeedWriter, IdentifierLookup } from '../../fhir/index.js';
import { AdtError } from './adt-error.js';
import { sqlLedger, type AdtLedger } from './adt-ledger.js';
import type { AdtLocation, AdtMessage, AdtPatient, AdtVisit } from './adt-message.js';
import { mergePatientRecords } from './patient-merge.js';
import { feedStaysOf, keepOneStay } from './one-stay.js';
import { newResourceId } from './resource-ids.js';
import { admittedByFeed, adoptedByFeed, VISIT_NUMBER_SYSTEM, visitNumberSystem, withFeedVisit } from './visit-match.js';

export { VISIT_NUMBER_SYSTEM, visitNumberSystem } from './visit-match.js';
const ENCOUNTER_CLASS_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';

const CLASSES: Record<string, { code: string; display: string }> = {
  I: { code: 'IMP', display: 'inpatient encounter' },
  O: { code: 'AMB', display: 'ambulatory' },
  E: { code: 'EMER', display: 'emergency' },
  P: { code: 'PRENC', display: 'pre-admission' },
  R: { code: 'IMP', display: 'inpatient encounter' },
  B: { code: 'IMP', display: 'inpatient encounter' },
};

type EncounterLocation = NonNullable<Encounter['location']>[number];

export interface AppliedEvent {
  /** The patients whose records changed (ids, for the log). */
  readonly patientIds: readonly string[];
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function wardId(ward: string): string {
  return `ward-${ward}`;
}

function bedId(location: AdtLocation): string | null {
  if (!location.bed && !location.room) return null;
  return [wardId(location.ward), ...(location.room ? ['room', location.room] : []), ...(location.bed ? ['bed', location.bed] : [])].join(
    '-',
  );
}

/** The per-patient order: an event older than the newest one applied to the patient is refused. */
async function checkOrder(ledger: AdtLedger, patientId: string, eventMs: number): Promise<void> {
  const last = await ledger.lastEventMs(patientId);
  if (last !== null && eventMs < last) {
    throw new AdtError(
      'OUT_OF_ORDER',
      `This event happened before one already applied to this patient (${iso(last)}); it was not applied. Send the patient's events in the order they happened.`,
      'EVN-2',
    );
  }
}

/** A merge chain that comes back to a record it passed: no record stands for the patient. */
function mergeCycle(): AdtError {
  return new AdtError(
    'CONFLICT',
    'The records this medical record number leads to were merged into each other in a circle, so none of them stands for the patient; nothing was applied. Ask IT to correct the merged records at the hub.',
    'PID-3',
  );
}

async function patientByMrn(writer: FeedWriter, mrn: string): Promise<FeedResource<Patient> | null> {
  const found = await writer.findByIdentifier<Patient>('Patient', MRN_SYSTEM, mrn, 10);
  // A record merged into another one carrying the same MRN (the EHR's patient the upstream mirror
  // matched it with) stands for that one.
  const ids = new Set(found.map((item) => item.resource.id));
  const standing = found.filter((item) => {
    const survivor = replacedBy(item.resource);
    return survivor === null || !ids.has(survivor);
  });
  if (standing.length > 1) {
    throw new AdtError('CONFLICT', 'More than one patient on the hub carries this medical record number; merge them (A40) first.', 'PID-3');
  }
  // Every record with this MRN merged into another with it: they were merged in a circle.
  if (standing.length === 0 && found.length > 0) throw mergeCycle();
  return standing[0] ?? null;
}

/**
 * The patient an MRN stands for now: the record that carries it, followed through its merges to the
 * end of the chain however long (shared/fhir merge-chain.ts, the rule documentation follows too). A
 * chain that comes back to a record it passed, or leads to a record the hub does not hold, is refused.
 */
async function currentPatient(writer: FeedWriter, mrn: string): Promise<FeedResource<Patient> | null> {
  const named = await patientByMrn(writer, mrn);
  if (named === null) return null;
  const current = await endOfChain(
    named,
    (item) => item.resource.id!,
    async (item) => {
      const survivor = replacedBy(item.resource);
      if (survivor === null) return null;
      const next = await writer.read<Patient>('Patient', survivor);
      if (next === null) {
        throw new AdtError(
          'CONFLICT',
          'This medical record number names a record merged into one the hub does not hold; nothing was applied.',
          'PID-3',
        );
      }
      return next;
    },
  );
  if (current === null) throw mergeCycle();
  return current;
}

function demographics(base: Patient, data: AdtPatient): Patient {
  const name =
    data.family || data.given.length
      ? [
          {
            use: 'official' as const,
            ...(data.family ? { family: data.family } : {}),
            ...(data.given.length ? { given: [...data.given] } : {}),
          },
        ]
      : base.name;
  const others = (base.identifier ?? []).filter((identifier) => identifier.system !== MRN_SYSTEM);
  return {
    ...base,
    identifier: [
      {
        use: 'usual',
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR', display: 'Medical record number' }] },
        system: MRN_SYSTEM,
        value: data.mrn,
      },
      ...others,
    ],
    active: base.active ?? true,
    ...(name ? { name } : {}),
    ...(data.gender ? { gender: data.gender } : {}),
    ...(data.birthDate ? { birthDate: data.birthDate } : {}),
  };
}

/** Creates or updates the patient from PID; returns its id. */
async function upsertPatient(writer: FeedWriter, data: AdtPatient, existing: FeedResource<Patient> | null): Promise<string> {
  const base: Patient = existing?.resource ?? { resourceType: 'Patient', id: newResourceId() };
  const rest = base;
  const mrn = base.identifier?.find((identifier) => identifier.system === MRN_SYSTEM)?.value;
  // Reached through a merge (the message names the merged-away MRN): the survivor keeps its own MRN.
  const next = demographics(rest as Patient, mrn === undefined || mrn === data.mrn ? data : { ...data, mrn });
  if (existing === null || JSON.stringify(next) !== JSON.stringify(rest)) await writer.put(next);
  return next.id!;
}

async function encounterWith(writer: FeedWriter, system: string, visitNumber: string): Promise<FeedResource<Encounter> | null> {
  const found = await writer.findByIdentifier<Encounter>('Encounter', system, visitNumber);
  if (found.length > 1) throw new AdtError('CONFLICT', 'More than one encounter on the hub carries this visit number.', 'PV1-19');
  return found[0] ?? null;
}

/**
 * The visit's Encounter, keyed by (assigning authority, number). With `legacy`, a visit stored
 * before visit numbers were scoped (the number alone) is found too.
 */
async function encounterByVisit(writer: FeedWriter, visit: AdtVisit, legacy: boolean): Promise<FeedResource<Encounter> | null> {
  const scoped = await encounterWith(writer, visitNumberSystem(visit.authority), visit.visitNumber);
  if (scoped !== null || !legacy) return scoped;
  return encounterWith(writer, VISIT_NUMBER_SYSTEM, visit.visitNumber);
}

/** The ward must be one the hub serves (its Location exists); the bed Location is made or marked. */
async function requireWard(writer: FeedWriter, location: AdtLocation): Promise<Location> {
  const ward = await writer.read<Location>('Location', wardId(location.ward));
  if (ward === null) {
    throw new AdtError('UNKNOWN_WARD', 'PV1-3 names a ward (point of care) this hub does not serve; nothing was changed.', 'PV1-3');
  }
  return ward.resource;
}

/** Encounter statuses that hold a bed: a stay in progress, or a registration placed in a bed (A04). */
const OCCUPYING: readonly Encounter['status'][] = ['in-progress', 'arrived'];

/** The bed Location ids (`ward-…-room-…`/`-bed-…`) of these Encounter location entries. */
function bedIdsOf(entries: readonly EncounterLocation[]): string[] {
  const ids: string[] = [];
  for (const entry of entries) {
    const id = entry.location?.reference?.replace(/^Location\//, '');
    if (id && /^ward-.+-(room|bed)-/.test(id) && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

/**
 * Sets each bed's occupancy from who is in it, after the message's Encounters are written: Occupied
 * while any Encounter holding a bed (OCCUPYING) is at it now, else Unoccupied. So a bed two
 * patients were put in stays Occupied when one leaves, and a bed swap ends right in either order.
 */
async function settleBeds(writer: FeedWriter, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    const bed = await writer.read<Location>('Location', id);
    if (bed === null) continue;
    const here = await writer.findByToken<Encounter>('Encounter', 'location', '', `Location/${id}`);
    const occupied = here.some((item) => OCCUPYING.includes(item.resource.status));
    const code = occupied ? 'O' : 'U';
    if (bed.resource.operationalStatus?.code === code) continue;
    const status = { system: BED_STATUS_SYSTEM, code, display: occupied ? 'Occupied' : 'Unoccupied' };
    await writer.put({ ...bed.resource, operationalStatus: status });
  }
}

/** Marks the bed PV1-3 names occupied (the Encounter just written is in it), making it on first use. */
async function occupyBed(writer: FeedWriter, location: AdtLocation, ward: Location): Promise<void> {
  const id = bedId(location);
  if (id === null) return;
  const existing = await writer.read<Location>('Location', id);
  const base: Location = existing?.resource ?? {
    resourceType: 'Location',
    id,
    status: 'active',
    name: [location.room ? `Room ${location.room}` : '', location.bed ? `Bed ${location.bed}` : ''].filter(Boolean).join(', '),
    mode: 'instance',
    physicalType: {
      coding: [{ system: LOCATION_PHYSICAL_TYPE_SYSTEM, code: location.bed ? 'bd' : 'ro', display: location.bed ? 'Bed' : 'Room' }],
    },
    partOf: { reference: `Location/${ward.id}`, ...(ward.name ? { display: ward.name } : {}) },
  };
  if (existing !== null && existing.resource.operationalStatus?.code === 'O') return;
  await writer.put({ ...base, operationalStatus: { system: BED_STATUS_SYSTEM, code: 'O', display: 'Occupied' } });
}

/** Marks the beds of these (reopened) Encounter location entries occupied. */
async function occupyBeds(writer: FeedWriter, entries: readonly EncounterLocation[]): Promise<void> {
  for (const id of bedIdsOf(entries)) {
    const bed = await writer.read<Location>('Location', id);
    if (bed === null || bed.resource.operationalStatus?.code === 'O') continue;
    await writer.put({ ...bed.resource, operationalStatus: { system: BED_STATUS_SYSTEM, code: 'O', display: 'Occupied' } });
  }
}

/**
 * One stay at a time: a patient with another Encounter in progress that the feed admitted (not
 * `except`, the visit this message acts on) is refused, so the census never lists a patient twice.
 */
async function requireNoOtherStay(writer: FeedWriter, patientId: string, except: string | undefined, event: string): Promise<void> {
  const stays = await writer.findOfPatient<Encounter>('Encounter', patientId, ['in-progress']);
  // The EHR's own Encounters (the upstream mirror's) are matched to the feed's visits by number
  // (visit-match.ts), or leave the census once the feed's stay is in (one-stay.ts), not refused:
  // only stays the feed admitted count.
  if (stays.some((item) => item.resource.id !== except && admittedByFeed(item.resource))) {
    throw new AdtError(
      'CONFLICT',
      `This patient already has a stay in progress on the hub under another visit number; the ${event} was not applied. Move the patient with an A02, discharge the stay with an A03, or cancel its admit with an A11 first.`,
      'PV1-19',
    );
  }
}

function locationEntries(location: AdtLocation, ward: Location, startMs: number): EncounterLocation[] {
  const start = iso(startMs);
  const entries: EncounterLocation[] = [
    {
      location: { reference: `Location/${ward.id}`, ...(ward.name ? { display: ward.name } : {}) },
      status: 'active',
      physicalType: { coding: [{ system: LOCATION_PHYSICAL_TYPE_SYSTEM, code: 'wa', display: 'Ward' }] },
      period: { start },
    },
  ];
  const bed = bedId(location);
  if (bed !== null) {
    entries.push({
      location: { reference: `Location/${bed}` },
      status: 'active',
      physicalType: {
        coding: [{ system: LOCATION_PHYSICAL_TYPE_SYSTEM, code: location.bed ? 'bd' : 'ro', display: location.bed ? 'Bed' : 'Room' }],
      },
      period: { start },
    });
  }
  return entries;
}

function activeEntries(encounter: Encounter): EncounterLocation[] {
  return (encounter.location ?? []).filter((entry) => entry.status !== 'completed');
}

function completeEntries(entries: readonly EncounterLocation[], endMs: number): EncounterLocation[] {
  return entries.map((entry) =>
    entry.status === 'completed' ? entry : { ...entry, status: 'completed', period: { ...(entry.period ?? {}), end: iso(endMs) } },
  );
}

/** Requires the visit's encounter, for the patient of the message, in one of `statuses`. */
async function requireEncounter(
  writer: FeedWriter,
  message: AdtMessage,
  patientId: string,
  statuses: readonly Encounter['status'][],
  missing: string,
): Promise<FeedResource<Encounter>> {
  const found = await encounterByVisit(writer, message.visit!, true);
  if (found === null) throw new AdtError('UNKNOWN_VISIT', missing, 'PV1-19');
  if (found.resource.subject?.reference !== `Patient/${patientId}`) {
    throw new AdtError('CONFLICT', 'This visit number belongs to another patient on the hub; nothing was changed.', 'PV1-19');
  }
  if (!statuses.includes(found.resource.status)) {
    throw new AdtError(
      'OUT_OF_ORDER',
      `This ${message.event} does not fit the visit as the hub holds it (${found.resource.status}); it was not applied. Check that the events before it were sent.`,
      'PV1-19',
    );
  }
  // The EHR's Encounter for this visit (visit-match.ts), not admitted through the feed: the feed takes it over.
  return admittedByFeed(found.resource) ? found : { ...found, resource: adoptedByFeed(found.resource) };
}

async function admit(writer: FeedWriter, message: AdtMessage, patientId: string, newPatient: boolean): Promise<void> {
  const visit = message.visit!;
  const inpatient = message.event === 'A01';
  if (inpatient && !visit.location) throw new AdtError('MISSING_FIELD', 'An A01 admit needs the ward in PV1-3.', 'PV1-3');
  const ward = visit.location ? await requireWard(writer, visit.location) : null;
  const existing = await encounterByVisit(writer, visit, false);
  // The EHR's Encounter for this stay, mirrored before the admit (visit-match.ts): the admit is applied to it.
  const ehrVisit = existing !== null && !admittedByFeed(existing.resource) ? existing.resource : null;
  if (existing !== null && ehrVisit === null && existing.resource.status !== 'cancelled') {
    throw new AdtError(
      'CONFLICT',
      `This visit is already ${existing.resource.status} on the hub; a second admit was not applied.`,
      'PV1-19',
    );
  }
  if (existing !== null && existing.resource.subject?.reference !== `Patient/${patientId}`) {
    throw new AdtError('CONFLICT', 'This visit number belongs to another patient on the hub; nothing was changed.', 'PV1-19');
  }
  if (!newPatient) await requireNoOtherStay(writer, patientId, existing?.resource.id, message.event);
  const startMs = visit.admitMs ?? message.eventMs;
  const kind = CLASSES[visit.patientClass] ?? (inpatient ? CLASSES.I! : CLASSES.O!);
  const encounter: Encounter = {
    resourceType: 'Encounter',
    id: existing?.resource.id ?? newResourceId(),
    identifier: [{ use: 'official', system: visitNumberSystem(visit.authority), value: visit.visitNumber }],
    status: inpatient ? 'in-progress' : 'arrived',
    class: { system: ENCOUNTER_CLASS_SYSTEM, ...kind },
    subject: { reference: `Patient/${patientId}` },
    period: { start: iso(startMs) },
    ...(ward && visit.location ? { location: locationEntries(visit.location, ward, startMs) } : {}),
  };
  await writer.put(ehrVisit === null ? encounter : withFeedVisit(ehrVisit, encounter));
  if (ward && visit.location) await occupyBed(writer, visit.location, ward);
  // The EHR's record of a stay this admit does not match leaves the census (one-stay.ts).
  if (!newPatient && inpatient) await keepOneStay(writer, patientId);
}

async function transfer(writer: FeedWriter, message: AdtMessage, patientId: string): Promise<void> {
  const visit = message.visit!;
  if (!visit.location) throw new AdtError('MISSING_FIELD', 'An A02 transfer needs the new ward in PV1-3.', 'PV1-3');
  const ward = await requireWard(writer, visit.location);
  const found = await requireEncounter(
    writer,
    message,
    patientId,
    ['in-progress', 'arrived'],
    'No admission is known for this visit; the transfer was not applied (send the A01 first).',
  );
  const encounter = found.resource;
  const leaving = activeEntries(encounter);
  await writer.put({
    ...encounter,
    status: 'in-progress',
    location: [...completeEntries(encounter.location ?? [], message.eventMs), ...locationEntries(visit.location, ward, message.eventMs)],
  });
  await occupyBed(writer, visit.location, ward);
  await settleBeds(writer, bedIdsOf(leaving));
  // A registration (A04) that becomes a stay: the EHR's record of another leaves the census.
  if (encounter.status === 'arrived') await keepOneStay(writer, patientId);
}

async function discharge(writer: FeedWriter, message: AdtMessage, patientId: string): Promise<void> {
  const found = await requireEncounter(
    writer,
    message,
    patientId,
    ['in-progress', 'arrived'],
    'No admission is known for this visit; the discharge was not applied (send the A01 first).',
  );
  const encounter = found.resource;
  const endMs = message.visit!.dischargeMs ?? message.eventMs;
  await writer.put({
    ...encounter,
    status: 'finished',
    period: { ...(encounter.period ?? {}), end: iso(endMs) },
    location: completeEntries(encounter.location ?? [], endMs),
  });
  await settleBeds(writer, bedIdsOf(activeEntries(encounter)));
}

async function cancelAdmit(writer: FeedWriter, message: AdtMessage, patientId: string): Promise<void> {
  const found = await requireEncounter(
    writer,
    message,
    patientId,
    ['in-progress', 'arrived'],
    'No admission is known for this visit, so there is none to cancel.',
  );
  const encounter = found.resource;
  await writer.put({ ...encounter, status: 'cancelled', location: completeEntries(encounter.location ?? [], message.eventMs) });
  await settleBeds(writer, bedIdsOf(activeEntries(encounter)));
}

async function cancelTransfer(writer: FeedWriter, message: AdtMessage, patientId: string): Promise<void> {
  const found = await requireEncounter(
    writer,
    message,
    patientId,
    ['in-progress'],
    'No admission is known for this visit, so there is no transfer to cancel.',
  );
  const encounter = found.resource;
  const current = activeEntries(encounter);
  const movedAt = current[0]?.period?.start;
  const restored = (encounter.location ?? []).filter(
    (entry) => entry.status === 'completed' && movedAt !== undefined && entry.period?.end === movedAt,
  );
  if (movedAt === undefined || restored.length === 0) {
    throw new AdtError('OUT_OF_ORDER', 'The hub holds no transfer for this visit to cancel; nothing was changed.', 'PV1-19');
  }
  const back = message.visit!.location;
  const restoredWard = restored.find(
    (entry) => /^Location\/ward-[^/]+$/.test(entry.location?.reference ?? '') && !/-(room|bed)-/.test(entry.location?.reference ?? ''),
  );
  if (back && restoredWard?.location?.reference !== `Location/${wardId(back.ward)}`) {
    throw new AdtError(
      'CONFLICT',
      'PV1-3 is not the ward the patient was transferred from, as the hub holds it; nothing was changed.',
      'PV1-3',
    );
  }
  const reopened = restored.map((entry) => {
    const { end: _end, ...period } = entry.period ?? {};
    return { ...entry, status: 'active' as const, period };
  });
  const kept = (encounter.location ?? []).filter((entry) => !current.includes(entry) && !restored.includes(entry));
  await writer.put({ ...encounter, location: [...kept, ...reopened] });
  await occupyBeds(writer, reopened);
  await settleBeds(writer, bedIdsOf(current));
}

async function cancelDischarge(writer: FeedWriter, message: AdtMessage, patientId: string): Promise<void> {
  const found = await requireEncounter(
    writer,
    message,
    patientId,
    ['finished'],
    'No discharge is known for this visit, so there is none to cancel.',
  );
  const encounter = found.resource;
  await requireNoOtherStay(writer, patientId, encounter.id, message.event);
  const endedAt = encounter.period?.end;
  const reopened: EncounterLocation[] = [];
  const location = (encounter.location ?? []).map((entry) => {
    if (entry.status !== 'completed' || endedAt === undefined || entry.period?.end !== endedAt) return entry;
    const { end: _end, ...period } = entry.period ?? {};
    const open = { ...entry, status: 'active' as const, period };
    reopened.push(open);
    return open;
  });
  const { end: _end, ...period } = encounter.period ?? {};
  await writer.put({ ...encounter, status: 'in-progress', period, location });
  await occupyBeds(writer, reopened);
  await keepOneStay(writer, patientId);
}

/**
 * One stay at a time after a merge too: two records each in a stay the feed admitted are refused
 * (the survivor would hold two, and the census list the patient twice). The hub cannot tell which
 * stay is the patient's; the EHR ends the other with the events it already sends, then the merge.
 */
async function requireOneStayAfterMerge(writer: FeedWriter, survivorId: string, priorId: string): Promise<void> {
  if ((await feedStaysOf(writer, survivorId)).length === 0 || (await feedStaysOf(writer, priorId)).length === 0) return;
  throw new AdtError(
    'CONFLICT',
    "The patient PID-3 names and the one MRG-1 names each have a stay in progress on the hub, and a patient is in one stay at a time; nothing was merged. End the stay that is not the patient's under the medical record number it was admitted with (an A03 discharge, or an A11 to cancel its admit), then send the A40 again.",
    'MRG-1',
  );
}

function sameDemographics(patient: Patient, data: AdtPatient): boolean {
  const family = patient.name?.[0]?.family;
  return data.birthDate !== undefined && data.family !== undefined && patient.birthDate === data.birthDate && family === data.family;
}

async function merge(writer: FeedWriter, message: AdtMessage, ledger: AdtLedger): Promise<string[]> {
  const survivor = await patientByMrn(writer, message.patient.mrn);
  const prior = await patientByMrn(writer, message.priorMrn!);
  if (prior === null) {
    throw new AdtError('UNKNOWN_PATIENT', 'MRG-1 names a patient this hub does not know; nothing was merged.', 'MRG-1');
  }
  if (survivor === null) {
    throw new AdtError(
      'MERGE_REFUSED',
      'PID-3 names a patient this hub does not know; the merge was refused (are PID and MRG swapped?). The surviving patient goes in PID, the one merged away in MRG.',
      'PID-3',
    );
  }
  const survivorId = survivor.resource.id!;
  const priorId = prior.resource.id!;
  if (survivorId === priorId) throw new AdtError('MERGE_REFUSED', 'PID-3 and MRG-1 name the same patient; nothing was merged.', 'MRG-1');
  if (replacedBy(prior.resource) === survivorId) return []; // Already merged (a resend with a new control id): nothing to do.
  if (replacedBy(survivor.resource) !== null) {
    throw new AdtError(
      'MERGE_REFUSED',
      'PID-3 names a patient already merged into another record; the merge was refused (PID and MRG look swapped).',
      'PID-3',
    );
  }
  if (replacedBy(prior.resource) !== null) {
    throw new AdtError('MERGE_REFUSED', 'MRG-1 names a patient already merged into another record; nothing was merged.', 'MRG-1');
  }
  if (sameDemographics(prior.resource, message.patient) && !sameDemographics(survivor.resource, message.patient)) {
    throw new AdtError(
      'MERGE_REFUSED',
      'PID carries the demographics of the patient MRG names, not of the one PID-3 names: PID and MRG look swapped, so nothing was merged.',
      'PID-3',
    );
  }
  await checkOrder(ledger, survivorId, message.eventMs);
  await checkOrder(ledger, priorId, message.eventMs);
  await requireOneStayAfterMerge(writer, survivorId, priorId);
  await mergePatientRecords(writer, prior, survivor, { linkSurvivor: true });
  await keepOneStay(writer, survivorId);
  return [survivorId, priorId];
}

/** What applyAdtMessage reads first, for a group of messages to read it together beforehand. */
export interface MessageReads {
  /** The patient's MRN and the visit's number. */
  readonly identifiers: IdentifierLookup[];
  /** The ward and bed Locations PV1-3 names. */
  readonly resources: { readonly type: string; readonly id: string }[];
}

/** The look-ups applyAdtMessage starts with. None for a merge (it runs on its own). */
export function readsOf(message: AdtMessage): MessageReads {
  if (message.event === 'A40') return { identifiers: [], resources: [] };
  const identifiers: IdentifierLookup[] = [{ type: 'Patient', system: MRN_SYSTEM, value: message.patient.mrn }];
  const resources: MessageReads['resources'] = [];
  const visit = message.visit;
  if (visit !== null) {
    identifiers.push({ type: 'Encounter', system: visitNumberSystem(visit.authority), value: visit.visitNumber });
    if (visit.location) {
      resources.push({ type: 'Location', id: wardId(visit.location.ward) });
      const bed = bedId(visit.location);
      if (bed !== null) resources.push({ type: 'Location', id: bed });
    }
  }
  return { identifiers, resources };
}

/**
 * Applies one ADT message; throws an AdtError (nothing kept) when it does not fit. The per-patient
 * order is read and noted through `ledger` (SQL on the writer's transaction unless given).
 */
export async function applyAdtMessage(
  writer: FeedWriter,
  message: AdtMessage,
  ledger: AdtLedger = sqlLedger(writer.tx),
): Promise<AppliedEvent> {
  if (message.event === 'A40') {
    const ids = await merge(writer, message, ledger);
    for (const id of ids) await ledger.noteEvent(id, message.eventMs);
    return { patientIds: ids };
  }
  const existing = await currentPatient(writer, message.patient.mrn);
  const creates = message.event === 'A01' || message.event === 'A04' || message.event === 'A08';
  if (existing === null && !creates) {
    throw new AdtError(
      'UNKNOWN_PATIENT',
      `PID-3 names a patient this hub does not know; the ${message.event} was not applied (send the admit first).`,
      'PID-3',
    );
  }
  if (existing !== null) await checkOrder(ledger, existing.resource.id!, message.eventMs);
  const patientId = creates || existing === null ? await upsertPatient(writer, message.patient, existing) : existing.resource.id!;
  switch (message.event) {
    case 'A01':
    case 'A04':
      await admit(writer, message, patientId, existing === null);
      break;
    case 'A02':
      await transfer(writer, message, patientId);
      break;
    case 'A03':
      await discharge(writer, message, patientId);
      break;
    case 'A11':
      await cancelAdmit(writer, message, patientId);
      break;
    case 'A12':
      await cancelTransfer(writer, message, patientId);
      break;
    case 'A13':
      await cancelDischarge(writer, message, patientId);
      break;
    case 'A08':
      break;
  }
  await ledger.noteEvent(patientId, message.eventMs);
  return { patientIds: [patientId] };
}
