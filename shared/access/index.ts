// Access rules, once for every side: the staff roles, what each role may do (role × action), the
// ward scope, which chart category and documentation action a FHIR resource falls under, and which
// charts are restricted. The workstation's guard, the renderer's menus and the hub's access policy
// import them from here. Runtime-neutral (zod only).
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
export {
  ADT_TYPES,
  REFERENCE_TYPES,
  OBSERVATION_CATEGORY_SYSTEM,
  observationCategoryOf,
  readActionOf,
  readActionsOfType,
  documentActionOf,
  type CategorisedResource,
} from './chart-categories.js';
export { isRestricted, CONFIDENTIALITY_SYSTEM, RESTRICTED_CONFIDENTIALITY_CODES, type SecurityLabelled } from './confidentiality.js';
