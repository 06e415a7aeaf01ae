// The FHIR room's one error: a resource that is not valid FHIR R4 (for the types Wardline supports).
// The message names the element path and what was expected, never the value found there.
import { WardlineError } from '../errors/index.js';

export class FhirValidationError extends WardlineError<'INVALID_RESOURCE'> {
  override readonly name = 'FhirValidationError';
  /** FHIR path of the first offending element, e.g. "Observation.code.coding[0].system". */
  readonly path: string;
  /** Set when the resource type itself is one Wardline supports. */
  readonly resourceType?: string;

  constructor(path: string, detail: string, resourceType?: string) {
    super('INVALID_RESOURCE', `${path}: ${detail}`);
    this.path = path;
    if (resourceType !== undefined) this.resourceType = resourceType;
  }
}

/** ["code", "coding", 0, "system"] under "Observation" → "Observation.code.coding[0].system". */
export function fhirPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += `.${String(part)}`;
  }
  return out;
}
