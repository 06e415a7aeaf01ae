// Canonical JSON as RFC 8785 (JSON Canonicalization Scheme) defines it: object members sorted by
// their names' UTF-16 code units, no whitespace, strings and numbers written as ECMAScript's
// JSON.stringify writes them (numbers by Number.prototype.toString: shortest round-trip form,
// exponent from 1e21 and below 1e-6, -0 as 0). Only JSON values are accepted: an undefined,
// a non-finite number, a function or a class instance (Date, Buffer, Map …) is a defect, refused,
// so two writers can never hash "the same" entry differently. See docs/AUDIT.md.
//
// One relaxation, asked for by name: `omitUndefined` writes a value as JSON.stringify would send
// it (a member whose value is undefined is left out, an undefined array item is null), for values
// that may carry an optional field set to undefined. On JSON.parse's output, the only input a
// receiver has, both modes write the same text.

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export interface CanonicalJsonOptions {
  /** Leave out members whose value is undefined and write undefined array items as null. */
  readonly omitUndefined?: boolean;
}

export function canonicalJson(value: unknown, options: CanonicalJsonOptions = {}): string {
  return write(value, '$', options.omitUndefined === true);
}

/**
 * Whether two values are the same JSON, whatever their members' order (undefined members are
 * left out; two undefined values are the same, an undefined one differs from anything else).
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  return canonicalJson(a, { omitUndefined: true }) === canonicalJson(b, { omitUndefined: true });
}

function write(value: unknown, where: string, omitUndefined: boolean): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON: ${where} is not a finite number`);
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`canonical JSON: ${where} is ${typeof value}, not a JSON value`);
  }
  if (Array.isArray(value)) {
    return `[${value
      .map((item: unknown, index) => (omitUndefined && item === undefined ? 'null' : write(item, `${where}[${index}]`, omitUndefined)))
      .join(',')}]`;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) {
    throw new TypeError(`canonical JSON: ${where} is a class instance, not a plain JSON object`);
  }
  const record = value as Record<string, unknown>;
  // Array.prototype.sort without a comparator orders strings by UTF-16 code units, as RFC 8785 asks.
  const names = Object.keys(record)
    .filter((name) => !(omitUndefined && record[name] === undefined))
    .sort();
  return `{${names.map((name) => `${JSON.stringify(name)}:${write(record[name], `${where}.${name}`, omitUndefined)}`).join(',')}}`;
}
