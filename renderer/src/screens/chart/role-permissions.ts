// The host's permission table (electron/session/permissions.ts), mirrored so the screens offer only
// what the signed-in role may do (tabs, documentation forms). The host refuses anyway; this only
// spares a nurse a button that would fail.
import type { ContractAction, ContractChartCategory, SessionViewData } from '../../../../shared/contract/index.js';

type Role = SessionViewData['role'];

const CLINICAL_CATEGORIES: readonly ContractChartCategory[] = ['vital-signs', 'laboratory', 'medication', 'notes', 'problems', 'allergies', 'alerts'];
const CLINICAL_READ: readonly ContractAction[] = CLINICAL_CATEGORIES.map((c): ContractAction => `category:read:${c}`);
const PATIENT_LIST: readonly ContractAction[] = ['census:read', 'chart:read', 'category:read:demographics'];

const PERMISSIONS: Readonly<Record<Role, ReadonlySet<ContractAction>>> = {
  nurse: new Set<ContractAction>([...PATIENT_LIST, ...CLINICAL_READ, 'document:vital-signs', 'document:medication-administration', 'document:note', 'print', 'btg:use']),
  physician: new Set<ContractAction>([...PATIENT_LIST, ...CLINICAL_READ, 'document:note', 'print', 'btg:use']),
  clerk: new Set<ContractAction>(PATIENT_LIST),
  admin: new Set<ContractAction>(['audit:view', 'policy:view']),
};

export function isRolePermitted(role: Role, action: ContractAction): boolean {
  return PERMISSIONS[role]?.has(action) ?? false;
}

export function mayRead(role: Role, category: ContractChartCategory): boolean {
  return isRolePermitted(role, `category:read:${category}`);
}
