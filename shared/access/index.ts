// Access rules, once for every side: the staff roles, what each role may do (role × action), the
// ward scope, the break-the-glass reasons, which chart category and documentation action a FHIR
// resource falls under, which chart category each field of the census row and the chart summary
// belongs to, the restricted-chart rule, and which open charts may be documented here. The
// workstation's guard, the renderer's menus and the hub's access policy import them from here.
// Runtime-neutral (zod only).
export {
  BTG_REASONS,
  BTG_JUSTIFICATION_MIN,
  BTG_JUSTIFICATION_MAX,
  PURPOSE_OF_USE,
  PURPOSE_OF_USE_SYSTEM,
  btgReasonCodeSchema,
  btgJustificationSchema,
  isBreakTheGlassReasonCode,
  isBreakTheGlassJustification,
  type BreakTheGlassReasonCode,
} from './break-the-glass-reasons.js';
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
export {
  CENSUS_ROW_FIELDS,
  CHART_SUMMARY_FIELDS,
  ENCOUNTER_SUMMARY_FIELDS,
  clinicalFields,
  mayReadField,
  readableFields,
  type ClinicalField,
  type FieldCategories,
  type ReadableBy,
} from './chart-fields.js';
export {
  CONFIDENTIALITY_SYSTEM,
  RESTRICTED_LABEL,
  RESTRICTED_CONFIDENTIALITY_CODES,
  isRestricted,
  type SecurityLabelled,
} from './restricted-charts.js';
export { LATE_DOCUMENTATION_DAYS } from './late-documentation.js';
export {
  READ_ONLY_CHART_REASONS,
  READ_ONLY_CHART_TEXT,
  readOnlyReasonOf,
  type HeldChart,
  type ReadOnlyChartReason,
} from './documenting-charts.js';
