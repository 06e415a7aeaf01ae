// Data minimisation by care date: whether a resource falls in a window that starts at a given
// instant (Patient/$everything's `start`, and the workstation's cache window). Runtime-neutral.
import type { Period, Resource } from '@medplum/fhirtypes';

const PARTIAL_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
/** Problems that still matter: clinicalStatus active, recurrence or relapse. */
const ACTIVE_PROBLEM = new Set(['active', 'recurrence', 'relapse']);
/** Orders that still stand. */
const STANDING_ORDER = new Set(['active', 'on-hold', 'draft']);

/**
 * The last instant (ms since the epoch) a FHIR date or dateTime reaches: a dateTime is its own
 * instant, a date ("2024", "2024-05", "2024-05-03", read as UTC) the end of its year, month or day.
 * Undefined for anything else.
 */
export function dateUpperBoundMs(text: string | undefined): number | undefined {
  if (typeof text !== 'string') return undefined;
  const partial = PARTIAL_DATE.exec(text);
  if (partial !== null) {
    const [, y, m, d] = partial;
    const year = Number(y);
    if (m === undefined) return Date.UTC(year + 1, 0, 1) - 1;
    if (d === undefined) return Date.UTC(year, Number(m), 1) - 1;
    return Date.UTC(year, Number(m) - 1, Number(d) + 1) - 1;
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

/** A Period's end; +Infinity while it is open (a start and no end); undefined when it has neither. */
function periodEndMs(period: Period | undefined): number | undefined {
  if (period === undefined) return undefined;
  if (period.end !== undefined) return dateUpperBoundMs(period.end);
  return period.start !== undefined ? Number.POSITIVE_INFINITY : undefined;
}

function codes(concept: { coding?: Array<{ code?: string }> } | undefined): string[] {
  return (concept?.coding ?? []).map((coding) => coding.code ?? '');
}

/**
 * Kinds that matter whatever their date: the Patient, allergies, flags, active problems and
 * standing medication orders.
 */
export function isTimeless(resource: Resource): boolean {
  switch (resource.resourceType) {
    case 'Patient':
    case 'AllergyIntolerance':
    case 'Flag':
      return true;
    case 'Condition':
      return codes(resource.clinicalStatus).some((code) => ACTIVE_PROBLEM.has(code));
    case 'MedicationRequest':
      return STANDING_ORDER.has(resource.status);
    default:
      return false;
  }
}

/**
 * The latest instant the care a resource records reaches (its clinical dates, never
 * meta.lastUpdated): +Infinity while it is ongoing (an open Encounter), undefined when it carries
 * no clinical date.
 */
export function careEndMs(resource: Resource): number | undefined {
  const candidates: Array<number | undefined> = [];
  switch (resource.resourceType) {
    case 'Encounter':
      candidates.push(periodEndMs(resource.period));
      break;
    case 'Condition':
      candidates.push(
        dateUpperBoundMs(resource.recordedDate),
        dateUpperBoundMs(resource.onsetDateTime),
        periodEndMs(resource.onsetPeriod),
        dateUpperBoundMs(resource.abatementDateTime),
        periodEndMs(resource.abatementPeriod),
      );
      break;
    case 'MedicationRequest':
      candidates.push(dateUpperBoundMs(resource.authoredOn), periodEndMs(resource.dispenseRequest?.validityPeriod));
      break;
    case 'MedicationAdministration':
      candidates.push(dateUpperBoundMs(resource.effectiveDateTime), periodEndMs(resource.effectivePeriod));
      break;
    case 'Observation':
      candidates.push(
        dateUpperBoundMs(resource.effectiveDateTime),
        dateUpperBoundMs(resource.effectiveInstant),
        periodEndMs(resource.effectivePeriod),
        dateUpperBoundMs(resource.issued),
      );
      break;
    case 'DocumentReference':
      candidates.push(dateUpperBoundMs(resource.date), periodEndMs(resource.context?.period));
      break;
    case 'Provenance':
      candidates.push(
        dateUpperBoundMs(resource.recorded),
        dateUpperBoundMs(resource.occurredDateTime),
        periodEndMs(resource.occurredPeriod),
      );
      break;
    case 'AuditEvent':
      candidates.push(dateUpperBoundMs(resource.recorded), periodEndMs(resource.period));
      break;
    default:
      break;
  }
  const known = candidates.filter((ms): ms is number => ms !== undefined);
  return known.length === 0 ? undefined : Math.max(...known);
}

/**
 * Whether `resource` belongs in a window of care starting at `startMs`: the timeless kinds always;
 * others when their care reaches the start or later. A resource without a clinical date is kept
 * (nothing says it is old).
 */
export function isInCareWindow(resource: Resource, startMs: number): boolean {
  return careWindowEndMs(resource) >= startMs;
}

/**
 * The latest window start `resource` belongs in (isInCareWindow is `careWindowEndMs(r) >= start`):
 * Infinity for the timeless kinds and for what has no clinical date. A plain number, for a caller
 * that works it out apart from the window (the upstream mirror's page reader, on another thread).
 */
export function careWindowEndMs(resource: Resource): number {
  if (isTimeless(resource)) return Number.POSITIVE_INFINITY;
  return careEndMs(resource) ?? Number.POSITIVE_INFINITY;
}

/** The cache window's default: care from this many days before the admission (policy `cache.daysBeforeAdmission`). */
export const DEFAULT_CACHE_DAYS_BEFORE_ADMISSION = 30;

const DAY_MS = 24 * 60 * 60_000;

/**
 * Where the window opens (ms): the admission (the earliest period.start of the patient's in-progress
 * Encounters on the ward) minus `daysBeforeAdmission` days. An Encounter without a usable start is
 * anchored at the census' hub time instead (the smaller cache).
 *
 * Anchored at the admission, the window does not move during a stay: nothing cached ages out of it
 * while the patient is on the ward, so nothing needs purging before discharge or transfer.
 */
export function cacheWindowStartMs(admission: string | undefined, daysBeforeAdmission: number, censusTime: string): number {
  const admittedMs = admission === undefined ? Number.NaN : Date.parse(admission);
  const anchorMs = Number.isFinite(admittedMs) ? admittedMs : Date.parse(censusTime);
  return anchorMs - daysBeforeAdmission * DAY_MS;
}
