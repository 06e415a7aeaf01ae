// Who may do what: the one table of role × action, and the ward scope (the user's wards ∩ this
// workstation's ward). The workstation's guard, the renderer's menus and the hub's access policy
// all read this table; none keeps a copy.
import type { StaffRole } from './roles.js';

export const CHART_CATEGORIES = [
  'demographics',
  'vital-signs',
  'laboratory',
  'medication',
  'notes',
  'problems',
  'allergies',
  'alerts',
] as const;
export type ChartCategory = (typeof CHART_CATEGORIES)[number];

export type Action =
  | 'census:read'
  | 'chart:read'
  | `category:read:${ChartCategory}`
  | 'document:vital-signs'
  | 'document:medication-administration'
  | 'document:note'
  | 'print'
  | 'audit:view'
  | 'policy:view'
  | 'btg:use';

export const ACTIONS: readonly Action[] = [
  'census:read',
  'chart:read',
  ...CHART_CATEGORIES.map((c): Action => `category:read:${c}`),
  'document:vital-signs',
  'document:medication-administration',
  'document:note',
  'print',
  'audit:view',
  'policy:view',
  'btg:use',
];

const CLINICAL_READ: readonly Action[] = CHART_CATEGORIES.filter((c) => c !== 'demographics').map((c): Action => `category:read:${c}`);
const PATIENT_LIST: readonly Action[] = ['census:read', 'chart:read', 'category:read:demographics'];

/**
 * The one permission table.
 * Correcting a record or marking it entered in error is documenting it again: it needs the same
 * document action as recording it (the host's chart:amend and the hub's write policy both ask that).
 * - nurse: reads every chart category, documents vital signs, medication administrations and notes,
 *   prints (the MAR during downtime), and may break the glass (a ward nurse at the bedside of a
 *   restricted patient must be able to open the chart in an emergency).
 * - physician: reads every category, writes notes, prints, breaks the glass. Vital signs and
 *   medication administrations are nursing documentation.
 * - clerk: the census and demographics (admissions, transfers, labels); no clinical category.
 * - admin: the audit trail and the policy; no patient data by default.
 */
const PERMISSIONS: Readonly<Record<StaffRole, ReadonlySet<Action>>> = {
  nurse: new Set<Action>([
    ...PATIENT_LIST,
    ...CLINICAL_READ,
    'document:vital-signs',
    'document:medication-administration',
    'document:note',
    'print',
    'btg:use',
  ]),
  physician: new Set<Action>([...PATIENT_LIST, ...CLINICAL_READ, 'document:note', 'print', 'btg:use']),
  clerk: new Set<Action>(PATIENT_LIST),
  admin: new Set<Action>(['audit:view', 'policy:view']),
};

export function isAction(value: string): value is Action {
  return (ACTIONS as readonly string[]).includes(value);
}

/** Whether `role` may perform `action` at all (scope and break-the-glass are checked separately). */
export function isPermitted(role: StaffRole, action: Action): boolean {
  return PERMISSIONS[role]?.has(action) ?? false;
}

/** Every action `role` may perform, in table order. */
export function permittedActions(role: StaffRole): Action[] {
  return ACTIONS.filter((a) => isPermitted(role, a));
}

/** Actions that read or write a patient's data, and so need the ward scope (or a break-the-glass grant). */
export function isPatientDataAction(action: Action): boolean {
  return action !== 'audit:view' && action !== 'policy:view' && action !== 'btg:use';
}

/** The wards a user may see on this workstation: their wards ∩ the workstation's ward. */
export function wardScope(userWards: readonly string[], workstationWard: string): string[] {
  return userWards.includes(workstationWard) ? [workstationWard] : [];
}
