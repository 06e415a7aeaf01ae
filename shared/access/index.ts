// Access rules, once for every side: the staff roles, what each role may do (role × action), and
// the ward scope. The workstation's guard, the renderer's menus and the hub's access policy import
// them from here. Runtime-neutral (zod only).
export { STAFF_ROLES, STAFF_ROLE_LABELS, staffRoleSchema, type StaffRole } from './roles.js';
export {
  ACTIONS,
  CHART_CATEGORIES,
  isAction,
  isPermitted,
  permittedActions,
  isPatientDataAction,
  wardScope,
  type Action,
  type ChartCategory,
} from './permissions.js';
