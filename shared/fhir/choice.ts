// FHIR choice elements ("value[x]") and the object builder every schema uses. A choice group is not
// spelled out as one optional zod key per type (Observation.value[x] alone has eleven): one check per
// object finds the key that is present, parses only that one, and enforces "at most one" (or, when
// required, "exactly one"). That keeps a typical Observation parse to the keys that matter.
import { z } from 'zod';

export interface ChoiceGroup {
  /** The element name without "[x]", e.g. "value". */
  readonly name: string;
  /** The JSON property names, e.g. ["valueQuantity", "valueString"]. */
  readonly keys: readonly string[];
  /** The schema of each property, in the order of `keys`. */
  readonly schemas: readonly z.ZodType[];
  readonly required: boolean;
}

/** `choice('value', { Quantity: quantity, String: fhirString })` → valueQuantity | valueString. */
export function choice(name: string, types: Record<string, z.ZodType>, required = false): ChoiceGroup {
  const entries = Object.entries(types);
  return { name, keys: entries.map(([suffix]) => `${name}${suffix}`), schemas: entries.map(([, schema]) => schema), required };
}

/** The parts of every object built by fhirObject, so compileGuard can compile it without zod internals. */
export interface ObjectParts {
  readonly shape: Readonly<Record<string, z.ZodType>>;
  readonly choices: readonly ChoiceGroup[];
}
export const objectParts = new WeakMap<z.ZodType, ObjectParts>();

interface CheckPayload {
  value: unknown;
  issues: unknown[];
}

export function checkChoices(groups: readonly ChoiceGroup[]) {
  return (payload: CheckPayload): void => {
    const value = payload.value as Record<string, unknown>;
    for (const group of groups) {
      let present = -1;
      let count = 0;
      for (let i = 0; i < group.keys.length; i++) {
        if (value[group.keys[i]!] !== undefined) {
          present = i;
          count += 1;
        }
      }
      if (count > 1) {
        payload.issues.push({
          code: 'custom',
          message: `only one of ${group.keys.join(', ')} may be given`,
          input: undefined,
          path: [`${group.name}[x]`],
          continue: true,
        });
      } else if (count === 0) {
        if (group.required) {
          payload.issues.push({ code: 'custom', message: 'required', input: undefined, path: [`${group.name}[x]`], continue: true });
        }
      } else {
        const key = group.keys[present]!;
        const result = group.schemas[present]!.safeParse(value[key]);
        if (!result.success) {
          for (const issue of result.error.issues) payload.issues.push({ ...issue, path: [key, ...issue.path], continue: true });
        }
      }
    }
  };
}

/**
 * A FHIR element or resource. Unknown elements are not errors (FHIR allows them in loose readers,
 * and validateResource returns the caller's own object, so nothing is stripped from it); every
 * element named in `shape` or in a choice group is type-checked.
 */
export function fhirObject(shape: Record<string, z.ZodType>, ...choices: ChoiceGroup[]): z.ZodType {
  const object = z.object(shape);
  let schema: z.ZodType = object;
  if (choices.length > 0) {
    // Choices are checked on the raw input before the object parse (which drops undeclared keys).
    const check = checkChoices(choices);
    schema = z.preprocess((input, ctx) => {
      if (typeof input === 'object' && input !== null && !Array.isArray(input)) check({ value: input, issues: ctx.issues });
      return input;
    }, object);
  }
  objectParts.set(schema, { shape, choices });
  return schema;
}
