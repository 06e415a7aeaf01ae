// FHIR R4 primitive types as zod schemas, with the regular expressions of the R4 specification
// (https://hl7.org/fhir/R4/datatypes.html). Every error message here names the expected format and
// never the offending value, so a message can be logged or shown without leaking patient data.
import { z } from 'zod';

const YEAR = '([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)';
const MONTH = '(0[1-9]|1[0-2])';
const DAY = '(0[1-9]|[1-2][0-9]|3[0-1])';
const TIME = '([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?';
const ZONE = '(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))';

/** FHIR `id`: 1–64 of A–Z, a–z, 0–9, '-' and '.'. */
export const ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;
export const INSTANT_PATTERN = new RegExp(`^${YEAR}-${MONTH}-${DAY}T${TIME}${ZONE}$`);
// The published R4 regex has a typo in the hour ("2[3]"); this is the corrected form (R4 errata, R5).
export const DATE_TIME_PATTERN = new RegExp(`^${YEAR}(-${MONTH}(-${DAY}(T${TIME}${ZONE})?)?)?$`);
export const DATE_PATTERN = new RegExp(`^${YEAR}(-${MONTH}(-${DAY})?)?$`);
export const TIME_PATTERN = new RegExp(`^${TIME}$`);
const CODE_PATTERN = /^[^\s]+( [^\s]+)*$/;
const URI_PATTERN = /^\S*$/;
// Standard base64 in 4-character groups. Linear-time (no nested quantifiers), so a large
// attachment cannot make validation backtrack.
const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

export const fhirString = z.string().min(1, 'must not be empty');
export const fhirMarkdown = fhirString;
export const fhirBoolean = z.boolean();
export const fhirId = z.string().regex(ID_PATTERN, 'expected a FHIR id (1-64 characters: letters, digits, "-", ".")');
export const fhirCode = z.string().regex(CODE_PATTERN, 'expected a FHIR code (no leading, trailing or repeated whitespace)');
export const fhirUri = z.string().min(1, 'must not be empty').regex(URI_PATTERN, 'expected a URI (no whitespace)');
export const fhirUrl = fhirUri;
export const fhirCanonical = fhirUri;
export const fhirInstant = z.string().regex(INSTANT_PATTERN, 'expected a FHIR instant (YYYY-MM-DDThh:mm:ss with seconds and a time zone)');
export const fhirDateTime = z
  .string()
  .regex(DATE_TIME_PATTERN, 'expected a FHIR dateTime (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss with a time zone)');
export const fhirDate = z.string().regex(DATE_PATTERN, 'expected a FHIR date (YYYY, YYYY-MM or YYYY-MM-DD)');
export const fhirTime = z.string().regex(TIME_PATTERN, 'expected a FHIR time (hh:mm:ss)');
export const fhirDecimal = z.number();
export const fhirInteger = z.number().int().min(INT32_MIN).max(INT32_MAX);
export const fhirPositiveInt = z.number().int().min(1).max(INT32_MAX);
export const fhirUnsignedInt = z.number().int().min(0).max(INT32_MAX);
export const fhirBase64Binary = z.string().regex(BASE64_PATTERN, 'expected base64 data');
/** xhtml is checked as a non-empty string here; a renderer must still sanitise it before display. */
export const fhirXhtml = fhirString;

/** A FHIR JSON array: may be absent, but never empty. */
export function list<T extends z.ZodType>(item: T) {
  return z.array(item).min(1, 'must not be an empty array').optional();
}

/** A FHIR JSON array with cardinality 1..*. */
export function requiredList<T extends z.ZodType>(item: T) {
  return z.array(item).min(1, 'must have at least one element');
}
