// The machine policy as IT writes it (policy.json), and what the host makes of it. Every security
// setting must be present: a missing one is an error, never a default. Only the staleness
// thresholds (how old cached data may be before the banner turns amber, then red), the locked-session
// count, the break-the-glass duration, the cache window, the medication administration settings
// (time window, extra allergy classes), the MAR's look-ahead, the sync watchdog's limit and the
// audit retention fall back to Wardline's defaults, and the resolved policy says so. A key rotation
// interval (vault.rekeyAfterDays) is optional: without it only IT rekeys (wardline rekey).
import { z } from 'zod';
import { wardSchema } from '../../shared/auth/index.js';
import { DEFAULT_AUDIT_RETENTION_DAYS } from '../audit/index.js';
import { DEFAULT_SESSION_POLICY } from '../session/index.js';
import { DEFAULT_ADMINISTRATION_WINDOW_MINUTES, type DrugClass } from '../../shared/medication-safety/index.js';
import { DEFAULT_SYNC_POLICY, isSpkiPin } from '../sync/index.js';

const MINUTE = 60_000;
/** The downtime MAR's default look-ahead: the doses due in the next 12 hours (a shift and a half). */
export const DEFAULT_MAR_HOURS_AHEAD = 12;
const HOUR = 60 * MINUTE;

const httpsUrl = z
  .string()
  .max(2048)
  .refine((text) => {
    try {
      const url = new URL(text);
      return url.protocol === 'https:' && url.username === '' && url.password === '' && url.search === '' && url.hash === '';
    } catch {
      return false;
    }
  }, 'an https:// URL without user, password, query or fragment');

const spkiPin = z.string().refine(isSpkiPin, 'a SHA-256 SPKI pin (44 characters of base64, as the hub prints it)');
const wholeNumber = (min: number, max: number) => z.number().int().min(min).max(max);

/** A site's allergy class: merged with Wardline's table (shared/medication-safety). */
const allergyClassSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]{0,47}$/, 'a class id such as "macrolide"'),
  label: z.string().min(1).max(200),
  rxnorm: z.array(z.string().regex(/^\d{1,12}$/, 'an RxNorm code (digits)')).max(200),
  names: z.array(z.string().regex(/^[a-z][a-z0-9-]{2,63}$/, 'a lower-case word start of 3 or more letters')).max(200),
});

export const updateChannelSchema = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'a channel name such as "stable" or "beta"');

/** The content of policy.json's "policy" member (what is signed). */
export const policyContentSchema = z.strictObject({
  /** When IT issued this policy (ISO 8601): shown by `wardline policy verify` and in the log. */
  issued: z.iso.datetime({ offset: true }),
  description: z.string().max(500).optional(),
  hub: z.strictObject({
    url: httpsUrl,
    /** The hub certificate's SPKI pins; list the next certificate's too before a rotation. */
    pins: z.array(spkiPin).min(1).max(8),
  }),
  ward: wardSchema,
  session: z.strictObject({
    idleTimeoutMinutes: wholeNumber(1, 24 * 60),
    sessionLimitHours: wholeNumber(1, 7 * 24),
    offlineGraceHours: wholeNumber(0, 30 * 24),
    /** How many locked sessions may wait for their owners (the oldest is signed out); default 4. */
    maxLockedSessions: wholeNumber(0, 32).optional(),
    /** How long a break-the-glass grant lasts; default 30. */
    breakTheGlassMinutes: wholeNumber(1, 24 * 60).optional(),
  }),
  staleness: z
    .strictObject({ amberMinutes: wholeNumber(1, 7 * 24 * 60), redMinutes: wholeNumber(1, 7 * 24 * 60) })
    .refine((s) => s.amberMinutes < s.redMinutes, 'amberMinutes must be less than redMinutes')
    .optional(),
  /** Data minimisation: care cached from this many days before a patient's admission on; default 30. */
  cache: z.strictObject({ daysBeforeAdmission: wholeNumber(0, 3650).optional() }).optional(),
  /** Sync is shown as stopped (and restarted) after this long without doing its job; default 5. */
  sync: z.strictObject({ stoppedAfterMinutes: wholeNumber(1, 24 * 60).optional() }).optional(),
  /** The running host changes the keys of the chart cache and audit trail this often (when no session is active); no rotation when absent. */
  vault: z.strictObject({ rekeyAfterDays: wholeNumber(1, 3650).optional() }).optional(),
  /** How long audit entries stay on the workstation after the hub acknowledged them; default 90 days. */
  audit: z.strictObject({ retentionDays: wholeNumber(1, 3650).optional() }).optional(),
  /** Medication administration: the on-time window around a scheduled dose (default 60 min either side), a site's allergy classes. */
  medication: z
    .strictObject({
      administrationWindowMinutes: wholeNumber(5, 720).optional(),
      allergyClasses: z.array(allergyClassSchema).max(100).optional(),
    })
    .optional(),
  /**
   * Printing: allowed or not; the downtime MAR lists the doses due in the next marHoursAhead hours
   * (default 12). It goes to the OS print dialog; saveAsPdf lets it be saved as a PDF file instead,
   * in Wardline's data folder (removed by wipe). Default false: no patient data file outside the vault.
   */
  printing: z.strictObject({ allowed: z.boolean(), marHoursAhead: wholeNumber(1, 72).optional(), saveAsPdf: z.boolean().optional() }),
  updates: z.discriminatedUnion('enabled', [
    z.strictObject({ enabled: z.literal(false) }),
    z.strictObject({ enabled: z.literal(true), channel: updateChannelSchema, url: httpsUrl }),
  ]),
});
export type PolicyContent = z.infer<typeof policyContentSchema>;

export type UpdatePolicy = { readonly enabled: false } | { readonly enabled: true; readonly channel: string; readonly url: string };

/** The policy as the host uses it: durations in ms, and who signed it. */
export interface WorkstationPolicy {
  readonly issued: string;
  readonly hubUrl: string;
  readonly pins: readonly string[];
  readonly ward: string;
  readonly idleTimeoutMs: number;
  readonly sessionLimitMs: number;
  readonly offlineGraceMs: number;
  readonly maxLockedSessions: number;
  readonly breakTheGlassMs: number;
  readonly staleAmberMs: number;
  readonly staleRedMs: number;
  /** The cache window: a patient's care from this many days before their admission on. */
  readonly cacheDaysBeforeAdmission: number;
  /** The sync watchdog calls sync stopped after this long without it doing its job. */
  readonly syncStoppedAfterMs: number;
  /** The host rekeys once the keys are older than this; null: only `wardline rekey` does. */
  readonly rekeyAfterMs: number | null;
  /** Acknowledged audit entries are pruned once they are older than this. */
  readonly auditRetentionMs: number;
  /** A scheduled dose given this long before or after its time is on time; outside, early or late. */
  readonly administrationWindowMs: number;
  /** Allergy classes the site adds to Wardline's table. */
  readonly allergyClasses: readonly DrugClass[];
  readonly printingAllowed: boolean;
  /** A print may be saved as a PDF file in the data folder's printouts (wipe removes them); else it goes to the print dialog only. */
  readonly saveAsPdfAllowed: boolean;
  /** The downtime MAR lists the doses due this many hours ahead. */
  readonly marHoursAhead: number;
  readonly updates: UpdatePolicy;
  /** The key id of the organisation key that signed it. */
  readonly signedBy: string;
  /** Settings the file left out that took Wardline's defaults (never a security setting). */
  readonly defaulted: readonly string[];
}

export function workstationPolicyOf(content: PolicyContent, signedBy: string): WorkstationPolicy {
  const hub = new URL(content.hub.url);
  return Object.freeze({
    issued: content.issued,
    hubUrl: hub.href.replace(/\/+$/, ''),
    pins: Object.freeze([...content.hub.pins]),
    ward: content.ward,
    idleTimeoutMs: content.session.idleTimeoutMinutes * MINUTE,
    sessionLimitMs: content.session.sessionLimitHours * HOUR,
    offlineGraceMs: content.session.offlineGraceHours * HOUR,
    maxLockedSessions: content.session.maxLockedSessions ?? DEFAULT_SESSION_POLICY.maxLockedSessions,
    breakTheGlassMs: (content.session.breakTheGlassMinutes ?? DEFAULT_SESSION_POLICY.breakTheGlassMs / MINUTE) * MINUTE,
    staleAmberMs: content.staleness === undefined ? DEFAULT_SYNC_POLICY.staleAmberMs : content.staleness.amberMinutes * MINUTE,
    staleRedMs: content.staleness === undefined ? DEFAULT_SYNC_POLICY.staleRedMs : content.staleness.redMinutes * MINUTE,
    cacheDaysBeforeAdmission: content.cache?.daysBeforeAdmission ?? DEFAULT_SYNC_POLICY.daysBeforeAdmission,
    syncStoppedAfterMs: (content.sync?.stoppedAfterMinutes ?? DEFAULT_SYNC_POLICY.stoppedAfterMs / MINUTE) * MINUTE,
    rekeyAfterMs: content.vault?.rekeyAfterDays === undefined ? null : content.vault.rekeyAfterDays * 24 * HOUR,
    auditRetentionMs: (content.audit?.retentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS) * 24 * HOUR,
    administrationWindowMs: (content.medication?.administrationWindowMinutes ?? DEFAULT_ADMINISTRATION_WINDOW_MINUTES) * MINUTE,
    allergyClasses: Object.freeze([...(content.medication?.allergyClasses ?? [])]),
    printingAllowed: content.printing.allowed,
    saveAsPdfAllowed: content.printing.saveAsPdf ?? false,
    marHoursAhead: content.printing.marHoursAhead ?? DEFAULT_MAR_HOURS_AHEAD,
    updates: Object.freeze(
      content.updates.enabled ? { enabled: true, channel: content.updates.channel, url: content.updates.url } : { enabled: false },
    ),
    signedBy,
    defaulted: Object.freeze([
      ...(content.staleness === undefined ? ['staleness'] : []),
      ...(content.session.maxLockedSessions === undefined ? ['session.maxLockedSessions'] : []),
      ...(content.session.breakTheGlassMinutes === undefined ? ['session.breakTheGlassMinutes'] : []),
      ...(content.cache?.daysBeforeAdmission === undefined ? ['cache.daysBeforeAdmission'] : []),
      ...(content.sync?.stoppedAfterMinutes === undefined ? ['sync.stoppedAfterMinutes'] : []),
      ...(content.audit?.retentionDays === undefined ? ['audit.retentionDays'] : []),
      ...(content.medication?.administrationWindowMinutes === undefined ? ['medication.administrationWindowMinutes'] : []),
      ...(content.printing.marHoursAhead === undefined ? ['printing.marHoursAhead'] : []),
    ]),
  });
}

/** Where each problem is, as IT reads it: "session.idleTimeoutMinutes: missing". */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 8)
    .map((issue) => {
      const where = issue.path.length === 0 ? '(the policy)' : issue.path.join('.');
      const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
      return `${where}: ${missing ? 'missing' : issue.message}`;
    })
    .join('; ');
}
