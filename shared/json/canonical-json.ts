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
  const writer = new Writer(options.omitUndefined === true);
  writer.write(value);
  return writer.out;
}

/**
 * Whether two values are the same JSON, whatever their members' order (undefined members are
 * left out; two undefined values are the same, an undefined one differs from anything else).
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  return canonicalJson(a, { omitUndefined: true }) === canonicalJson(b, { omitUndefined: true });
}

/**
 * One pass over the value, appending to one string. The path of a refused value (`$.a[2].b`) is
 * kept as a stack of member names and indexes and turned into text only for the error: on the
 * hub every uploaded audit event goes through here, so the common case builds no path strings.
 */
class Writer {
  out = '';
  readonly #omitUndefined: boolean;
  readonly #path: Array<string | number> = [];

  constructor(omitUndefined: boolean) {
    this.#omitUndefined = omitUndefined;
  }

  write(value: unknown): void {
    if (value === null) {
      this.out += 'null';
      return;
    }
    switch (typeof value) {
      case 'boolean':
        this.out += value ? 'true' : 'false';
        return;
      case 'number':
        if (!Number.isFinite(value)) throw new TypeError(`canonical JSON: ${this.#where()} is not a finite number`);
        this.out += JSON.stringify(value);
        return;
      case 'string':
        this.out += JSON.stringify(value);
        return;
      case 'object':
        break;
      default:
        throw new TypeError(`canonical JSON: ${this.#where()} is ${typeof value}, not a JSON value`);
    }
    const path = this.#path;
    if (Array.isArray(value)) {
      this.out += '[';
      for (let index = 0; index < value.length; index += 1) {
        if (index > 0) this.out += ',';
        const item: unknown = value[index];
        if (this.#omitUndefined && item === undefined) {
          this.out += 'null';
          continue;
        }
        path.push(index);
        this.write(item);
        path.pop();
      }
      this.out += ']';
      return;
    }
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype !== Object.prototype && prototype !== null) {
      throw new TypeError(`canonical JSON: ${this.#where()} is a class instance, not a plain JSON object`);
    }
    const record = value as Record<string, unknown>;
    // Array.prototype.sort without a comparator orders strings by UTF-16 code units, as RFC 8785 asks.
    const names = Object.keys(record).sort();
    this.out += '{';
    let first = true;
    for (const name of names) {
      const member = record[name];
      if (this.#omitUndefined && member === undefined) continue;
      if (!first) this.out += ',';
      first = false;
      this.out += JSON.stringify(name);
      this.out += ':';
      path.push(name);
      this.write(member);
      path.pop();
    }
    this.out += '}';
  }

  #where(): string {
    return this.#path.map((step) => (typeof step === 'number' ? `[${step}]` : `.${step}`)).reduce((text, step) => text + step, '$');
  }
}
