// What every per-patient builder needs: ids, references, the admission window, who is on shift,
// the patient's physiology, and the security label restricted charts carry.
import type { Coding, Encounter, Meta, Patient, Practitioner, Reference, Resource } from '@medplum/fhirtypes';
import { RESTRICTED_LABEL } from '../access/index.js';
import type { Trait } from './clinical-catalog.js';
import type { Physiology } from './physiology.js';
import type { Rng } from './prng.js';
import { HOUR } from './time.js';
import type { WardStaff } from './build-ward.js';

export interface PatientContext {
  /** Position on the ward (0-based); the patient lies in bed index + 1. */
  readonly index: number;
  /** Id stream: every resource id of this patient is drawn from it, in build order. */
  readonly ids: Rng;
  /** Per-part random streams, so a change to one part leaves the others as they were. */
  stream(part: string): Rng;
  readonly patientId: string;
  readonly encounterId: string;
  readonly subject: Reference<Patient>;
  readonly encounter: Reference<Encounter>;
  readonly sex: 'male' | 'female';
  readonly ageYears: number;
  readonly admissionMs: number;
  readonly nowMs: number;
  readonly traits: ReadonlySet<Trait>;
  readonly physiology: Physiology;
  readonly staff: WardStaff;
  readonly attending: Reference<Practitioner>;
  readonly restricted: boolean;
}

/** Meta for a resource of this patient: the restricted label when the chart is restricted. */
export function metaFor(ctx: PatientContext): { meta?: Meta } {
  return ctx.restricted ? { meta: { security: [{ ...(RESTRICTED_LABEL as Coding) }] } } : {};
}

export function ref<T extends Resource>(type: T['resourceType'], id: string, display?: string): Reference<T> {
  return display === undefined ? { reference: `${type}/${id}` } : { reference: `${type}/${id}`, display };
}

/**
 * The nurse looking after this patient at `ms`: shifts change at 07:00, 15:00 and 23:00, and each
 * shift's nurses split the ward's beds between them.
 */
export function nurseAt(ctx: PatientContext, ms: number): Reference<Practitioner> {
  const shift = Math.floor((ms - 7 * HOUR) / (8 * HOUR));
  const nurses = ctx.staff.nurses;
  return nurses[(((shift * 5 + Math.floor(ctx.index / 4)) % nurses.length) + nurses.length) % nurses.length]!;
}

/** The physician writing today's progress note: mostly the attending, sometimes a colleague. */
export function physicianFor(ctx: PatientContext, rng: Rng): Reference<Practitioner> {
  return rng.chance(0.7) ? ctx.attending : rng.pick(ctx.staff.physicians);
}
