// generateWard and generatePatientHistory: option checks, the ward-level draws (staff roster, MRN
// block, which charts are restricted), and assembly in an order safe to ingest.
import type { Resource } from '@medplum/fhirtypes';
import { buildBeds, buildStaff, buildWardLocation } from './build-ward.js';
import { generatePatient } from './generate-patient.js';
import { isWardCode, WARD_CODE_RULE } from '../fhir/index.js';
import { Rng } from './prng.js';
import { SyntheticDataError } from './synthetic-data-error.js';
import type { GenerateWardOptions, SyntheticPatient, SyntheticWard, WardSpec } from './types.js';

const DEFAULT_WARD: WardSpec = { id: 'demo', name: 'Demo Ward' };
const DEFAULT_NOW = '2026-01-15T08:00:00Z';
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const MAX_PATIENTS = 2000;
const MAX_DAYS = 3660;
const MRN_SPACE = 9_000_000;
/** A prime that does not divide MRN_SPACE, so index → MRN is one-to-one within a ward. */
const MRN_STRIDE = 104_729;

interface Checked {
  readonly seed: string;
  readonly ward: WardSpec;
  readonly days: number;
  readonly nowMs: number;
}

function check(options: { seed: number | string; days: number; ward?: WardSpec; now?: string }): Checked {
  const ward = options.ward ?? DEFAULT_WARD;
  if (!isWardCode(ward.id)) {
    throw new SyntheticDataError(`ward.id: ${WARD_CODE_RULE}`);
  }
  if (typeof ward.name !== 'string' || ward.name.trim() === '') throw new SyntheticDataError('ward.name must be a non-empty string.');
  if (!Number.isInteger(options.days) || options.days < 1 || options.days > MAX_DAYS) {
    throw new SyntheticDataError(`days must be a whole number from 1 to ${MAX_DAYS}.`);
  }
  const now = options.now ?? DEFAULT_NOW;
  const nowMs = Date.parse(now);
  if (!ISO_INSTANT.test(now) || !Number.isFinite(nowMs)) {
    throw new SyntheticDataError('now must be an ISO 8601 instant with a time zone, e.g. 2026-01-15T08:00:00Z.');
  }
  if (typeof options.seed !== 'string' && !Number.isFinite(options.seed))
    throw new SyntheticDataError('seed must be a string or a finite number.');
  return { seed: String(options.seed), ward: { id: ward.id, name: ward.name }, days: options.days, nowMs: Math.floor(nowMs / 1000) * 1000 };
}

/** Ward-level draws, made in a fixed order so every patient sees the same roster and MRN block. */
function wardDraws(c: Checked) {
  const rng = Rng.derive('wardline-synthetic', c.seed, c.ward.id, 'ward');
  const staff = buildStaff(rng);
  const mrnBase = rng.int(0, MRN_SPACE - 1);
  const restrictedOffset = rng.int(0, 9);
  return {
    staff,
    mrnNumber: (index: number) => 1_000_000 + ((mrnBase + index * MRN_STRIDE) % MRN_SPACE),
    /** Exactly one chart in ten is restricted; which ones depends on the seed. */
    isRestricted: (index: number) => (index + restrictedOffset) % 10 === 0,
  };
}

export function generateWard(options: GenerateWardOptions): SyntheticWard {
  const c = check(options);
  if (!Number.isInteger(options.patients) || options.patients < 0 || options.patients > MAX_PATIENTS) {
    throw new SyntheticDataError(`patients must be a whole number from 0 to ${MAX_PATIENTS}.`);
  }
  const draws = wardDraws(c);
  const location = buildWardLocation(c.ward);
  const beds = buildBeds(c.ward, options.patients + Math.max(2, Math.ceil(options.patients / 8)), options.patients);
  const patients: SyntheticPatient[] = [];
  for (let index = 0; index < options.patients; index++) {
    patients.push(
      generatePatient({
        seed: c.seed,
        ward: c.ward,
        index,
        days: c.days,
        nowMs: c.nowMs,
        staff: draws.staff,
        mrnNumber: draws.mrnNumber(index),
        restricted: draws.isRestricted(index),
      }),
    );
  }
  const resources: Resource[] = [location, ...beds, ...draws.staff.practitioners];
  for (const p of patients) for (const r of p.resources) resources.push(r);
  return { ward: c.ward, location, beds, practitioners: draws.staff.practitioners, patients, resources };
}

/**
 * One patient with `days` of history: the first patient (bed 1) of generateWard with the same seed,
 * ward and now. Its references to the ward's Location and Practitioners resolve in that ward.
 */
export function generatePatientHistory(options: { seed: number | string; days: number; now?: string; ward?: WardSpec }): SyntheticPatient {
  const c = check(options);
  const draws = wardDraws(c);
  return generatePatient({
    seed: c.seed,
    ward: c.ward,
    index: 0,
    days: c.days,
    nowMs: c.nowMs,
    staff: draws.staff,
    mrnNumber: draws.mrnNumber(0),
    restricted: draws.isRestricted(0),
  });
}
