// A fast yes/no check compiled from the zod schemas at module load. zod stays the definition (and
// produces the error path and message); the guard answers the common case, a valid resource, with
// plain property reads and no allocation. zod's parse allocates a result per element: about 5 µs
// for a vital-sign Observation and 8–12 µs per resource over a chart's mix of types; the guard
// takes about 3 µs for either (bench/fhir-validation.bench.ts).
//
// The guard must never accept what zod rejects: each rule below mirrors zod v4's semantics for the
// schema kinds and checks this folder uses, and anything else is refused at module load. When the
// guard says no, validateResource asks zod, so a guard stricter than zod would only cost time.
import type { z } from 'zod';
import { objectParts, type ChoiceGroup } from './choice.js';

export type Guard = (value: unknown) => boolean;

interface CheckDef {
  check: string;
  format?: string;
  pattern?: RegExp;
  minimum?: number;
  value?: number;
  inclusive?: boolean;
}

interface SchemaDef {
  type: string;
  checks?: { _zod: { def: CheckDef } }[];
  innerType?: z.ZodType;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  entries?: Record<string, string | number>;
  values?: unknown[];
}

function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const cache = new WeakMap<z.ZodType, Guard>();

export function compileGuard(schema: z.ZodType): Guard {
  const cached = cache.get(schema);
  if (cached) return cached;
  const guard = compile(schema);
  cache.set(schema, guard);
  return guard;
}

function compile(schema: z.ZodType): Guard {
  const parts = objectParts.get(schema);
  if (parts) return objectGuard(parts.shape, parts.choices);
  const def = defOf(schema);
  const checks = (def.checks ?? []).map((c) => c._zod.def);
  switch (def.type) {
    case 'string':
      return stringGuard(checks);
    case 'number':
      return numberGuard(checks);
    case 'boolean':
      noChecks(def.type, checks);
      return (v) => typeof v === 'boolean';
    case 'unknown':
      noChecks(def.type, checks);
      return () => true;
    case 'enum':
    case 'literal': {
      noChecks(def.type, checks);
      const allowed = new Set<unknown>(def.type === 'enum' ? Object.values(def.entries ?? {}) : (def.values ?? []));
      return (v) => allowed.has(v);
    }
    case 'optional': {
      noChecks(def.type, checks);
      const inner = compileGuard(def.innerType!);
      return (v) => v === undefined || inner(v);
    }
    case 'array':
      return arrayGuard(compileGuard(def.element!), checks);
    case 'object':
      noChecks(def.type, checks);
      return objectGuard(def.shape ?? {}, []);
    default:
      throw new TypeError(`compileGuard: zod schema type "${def.type}" has no guard rule; add one or build it with fhirObject.`);
  }
}

function noChecks(type: string, checks: readonly CheckDef[]): void {
  if (checks.length > 0) throw new TypeError(`compileGuard: checks on "${type}" have no guard rule.`);
}

function stringGuard(checks: readonly CheckDef[]): Guard {
  let min = 0;
  const patterns: RegExp[] = [];
  for (const c of checks) {
    if (c.check === 'min_length') min = Math.max(min, c.minimum!);
    else if (c.check === 'string_format' && c.format === 'regex' && c.pattern && !c.pattern.global && !c.pattern.sticky)
      patterns.push(c.pattern);
    else throw new TypeError(`compileGuard: string check "${c.check}" has no guard rule.`);
  }
  if (patterns.length === 0) return (v) => typeof v === 'string' && v.length >= min;
  if (patterns.length === 1) {
    const re = patterns[0]!;
    return (v) => typeof v === 'string' && v.length >= min && re.test(v);
  }
  return (v) => typeof v === 'string' && v.length >= min && patterns.every((re) => re.test(v));
}

function numberGuard(checks: readonly CheckDef[]): Guard {
  let integer = false;
  let min = -Infinity;
  let max = Infinity;
  for (const c of checks) {
    if (c.check === 'number_format' && c.format === 'safeint') integer = true;
    else if (c.check === 'greater_than' && c.inclusive === true) min = Math.max(min, c.value!);
    else if (c.check === 'less_than' && c.inclusive === true) max = Math.min(max, c.value!);
    else throw new TypeError(`compileGuard: number check "${c.check}" has no guard rule.`);
  }
  if (integer) return (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
  return (v) => typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
}

function arrayGuard(element: Guard, checks: readonly CheckDef[]): Guard {
  let min = 0;
  for (const c of checks) {
    if (c.check === 'min_length') min = Math.max(min, c.minimum!);
    else throw new TypeError(`compileGuard: array check "${c.check}" has no guard rule.`);
  }
  return (v) => {
    if (!Array.isArray(v) || v.length < min) return false;
    for (let i = 0; i < v.length; i++) if (!element(v[i])) return false;
    return true;
  };
}

function objectGuard(shape: Readonly<Record<string, z.ZodType>>, choices: readonly ChoiceGroup[]): Guard {
  const keys = Object.keys(shape);
  const guards = keys.map((k) => compileGuard(shape[k]!));
  const groups = choices.map((g) => ({ keys: g.keys, guards: g.schemas.map(compileGuard), required: g.required }));
  return (v) => {
    if (!isObject(v)) return false;
    for (let i = 0; i < keys.length; i++) if (!guards[i]!(v[keys[i]!])) return false;
    for (const group of groups) {
      let present = -1;
      for (let i = 0; i < group.keys.length; i++) {
        if (v[group.keys[i]!] !== undefined) {
          if (present >= 0) return false;
          present = i;
        }
      }
      if (present < 0 ? group.required : !group.guards[present]!(v[group.keys[present]!])) return false;
    }
    return true;
  };
}
