// One source for every rule (docs/CONVENTIONS.md): the role list and labels, the permission table,
// the break-the-glass reasons, the restricted-chart rule, which open charts may be documented here,
// the staleness levels and thresholds, the canonical JSON and the error root each live once in
// shared/. This test fails when a second copy appears anywhere in the host, the renderer, the hub
// or shared/ itself (it reads the source tree), and when what each side actually uses at run time
// differs from the shared table.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  BTG_REASONS,
  CONFIDENTIALITY_SYSTEM,
  READ_ONLY_CHART_REASONS,
  STAFF_ROLES,
  btgReasonCodeSchema,
  staffRoleSchema as accessRoleSchema,
} from '../../shared/access/index.js';
import { staffRoleSchema as authRoleSchema } from '../../shared/auth/index.js';
import { INVOKE_CHANNELS, sessionSnapshotSchema, stalenessSchema } from '../../shared/contract/index.js';
import { DATA_STALENESS_LEVELS, DEFAULT_DATA_STALENESS } from '../../shared/staleness/index.js';
import { DEFAULT_SYNC_POLICY } from '../../electron/sync/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SOURCE_FOLDERS = ['electron', 'renderer/src', 'server', 'shared', 'bin', 'scripts'];

interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/** Production source only: tests, test helpers and fixtures may spell values out to check them. */
function sourceFiles(): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'dist') walk(full);
      } else if (/\.(ts|tsx|js|mjs)$/.test(entry.name) && !/\.test\.tsx?$|test-helpers\.ts$|test-examples\.ts$/.test(entry.name)) {
        files.push({ path: relative(ROOT, full).split('\\').join('/'), text: readFileSync(full, 'utf8') });
      }
    }
  };
  for (const folder of SOURCE_FOLDERS) walk(join(ROOT, folder));
  return files;
}

const FILES = sourceFiles();

/** Where `pattern` occurs outside the rule's home (and outside the frozen history `exempt` names). */
function copiesOf(pattern: RegExp, home: RegExp, exempt: RegExp | null = null): string[] {
  return FILES.filter((f) => !home.test(f.path) && !(exempt?.test(f.path) ?? false))
    .filter((f) => new RegExp(pattern.source, pattern.flags.replace('g', '')).test(f.text))
    .map((f) => f.path);
}

const literal = (values: readonly string[]): string => `['"](?:${values.join('|')})['"]`;
/** Two or more of `values` as string literals in a row: an array, a z.enum or a union type. */
const listOf = (values: readonly string[]): RegExp => new RegExp(`${literal(values)}\\s*[,|]\\s*${literal(values)}`);

/** Migrations are never edited after they land: their CHECK constraints are history, not rules. */
const MIGRATIONS = /\/migrations\//;

describe('one source for every rule', () => {
  it('reads the whole source tree (so a copy could not hide)', () => {
    const paths = FILES.map((f) => f.path);
    for (const folder of ['electron/', 'renderer/src/', 'server/', 'shared/']) expect(paths.some((p) => p.startsWith(folder))).toBe(true);
    expect(paths).toContain('shared/access/roles.ts');
  });

  it('keeps the role list and its labels in shared/access only', () => {
    expect(copiesOf(listOf(STAFF_ROLES), /^shared\/access\//, MIGRATIONS)).toEqual([]);
    expect(copiesOf(/['"]Ward clerk['"]|['"]Administrator['"]/, /^shared\/access\//)).toEqual([]);
    // A role spelled out in a regular expression or a usage text is a copy too.
    expect(copiesOf(new RegExp(`${STAFF_ROLES.join('\\|')}|${STAFF_ROLES.join('\\s*\\|\\s*')}`), /^shared\/access\//)).toEqual([]);
  });

  it('keeps the permission table (role × action) in shared/access only', () => {
    expect(copiesOf(/Record<\s*(?:StaffRole|Role)\s*,\s*(?:ReadonlySet|Set|readonly\s+Action|Action)/, /^shared\/access\//)).toEqual([]);
    expect(copiesOf(/new Set<Action>/, /^shared\/access\//)).toEqual([]);
  });

  it('keeps the break-the-glass reasons and their labels in shared/access only', () => {
    const codes = BTG_REASONS.map((r) => r.code);
    expect(copiesOf(listOf(codes), /^shared\/access\//)).toEqual([]);
    expect(copiesOf(new RegExp(literal(codes)), /^shared\/access\//)).toEqual([]);
    expect(copiesOf(/Emergency treatment|Continuity of care|treating clinician/, /^shared\/access\//)).toEqual([]);
  });

  it('keeps the restricted-chart rule in shared/access only', () => {
    expect(copiesOf(new RegExp(CONFIDENTIALITY_SYSTEM.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')), /^shared\/access\//)).toEqual([]);
    expect(copiesOf(/function\s+isRestricted\b/, /^shared\/access\//)).toEqual([]);
  });

  it('keeps which open charts may be documented here (an emergency copy off the ward may not) in shared/access only', () => {
    expect(copiesOf(new RegExp(literal(READ_ONLY_CHART_REASONS)), /^shared\/access\//)).toEqual([]);
    expect(copiesOf(/Emergency view of a patient on another ward/, /^shared\/access\//)).toEqual([]);
    expect(copiesOf(/function\s+readOnlyReasonOf\b/, /^shared\/access\//)).toEqual([]);
  });

  it('keeps the staleness levels, rule and thresholds in shared/staleness only', () => {
    expect(copiesOf(listOf(DATA_STALENESS_LEVELS), /^shared\/staleness\//)).toEqual([]);
    expect(copiesOf(/function\s+\w*[sS]taleness(?:Of)?\s*\(/, /^shared\/staleness\/|^renderer\/src\/lib\/staleness\.ts$/)).toEqual([]);
    expect(copiesOf(/\b(?:stale)?(?:amber|red)Ms\s*[:=]\s*\d/i, /^shared\/staleness\//)).toEqual([]);
    expect(copiesOf(/VITALS_(?:AMBER|RED)/, /^shared\/staleness\//)).toEqual([]);
  });

  it("reads an order's schedule (PRN, times of day, dose slots) in shared/medication-safety only", () => {
    // The structured dosage is read once; nothing parses the dosage text for "as needed" or "at 08:00".
    expect(
      copiesOf(
        /\.timeOfDay\b|\.asNeededBoolean\b|\.asNeededCodeableConcept\b|\.periodUnit\b|\.dayOfWeek\b|\.boundsPeriod\b/,
        /^shared\/(medication-safety|fhir|synthetic)\//,
      ),
    ).toEqual([]);
    expect(copiesOf(/as needed\||as required\||\\bprn\\b/i, /^shared\/medication-safety\//)).toEqual([]);
    // The slots of an order lie on the calendar in one place.
    expect(copiesOf(/function (?:scheduledInstants|slotsBetween|scheduleIsUtc|scheduleZone)\b/, /^shared\/medication-safety\//)).toEqual(
      [],
    );
    // Which days doses fall on (weekly, every N days, weekdays) is read in one place too.
    expect(copiesOf(/function (?:isDoseDay|cycleOf|doseDaysOf|repeatDaysOf)\b/, /^shared\/medication-safety\//)).toEqual([]);
  });

  it("keeps the administration window on the host: the renderer takes the host's answer, never a default of its own", () => {
    expect(FILES.filter((f) => f.path.startsWith('renderer/') && /DEFAULT_ADMINISTRATION_WINDOW/.test(f.text)).map((f) => f.path)).toEqual(
      [],
    );
  });

  it('keeps one canonical JSON, in shared/json', () => {
    expect(copiesOf(/function\s+(?:canonical\w*|stableStringify|sortedJson)\s*\(/i, /^shared\/json\//)).toEqual([]);
  });

  it('roots every error class in shared/errors', () => {
    expect(copiesOf(/class\s+\w+\s+extends\s+Error\b/, /^shared\/errors\//)).toEqual([]);
  });
});

describe('what every side uses at run time is the shared table', () => {
  it('the same roles for the contract, the hub accounts and the access table', () => {
    expect(accessRoleSchema.options).toEqual([...STAFF_ROLES]);
    expect(authRoleSchema.options).toEqual([...STAFF_ROLES]);
    const activeRole = sessionSnapshotSchema.shape.active.unwrap().shape.role;
    expect(activeRole.options).toEqual([...STAFF_ROLES]);
  });

  it('the same reason codes for both break-the-glass channels and the host', () => {
    const codes = BTG_REASONS.map((r) => r.code);
    expect(btgReasonCodeSchema.options).toEqual(codes);
    for (const name of ['session:break-glass', 'chart:open-off-ward'] as const) {
      const request = INVOKE_CHANNELS[name].request;
      for (const code of codes) expect(request.shape.reasonCode.safeParse(code).success).toBe(true);
      expect(request.shape.reasonCode.safeParse('OTHER').success).toBe(false);
    }
  });

  it('the same staleness levels and default thresholds for the host and the contract', () => {
    expect(stalenessSchema.options).toEqual([...DATA_STALENESS_LEVELS]);
    expect({ amberMs: DEFAULT_SYNC_POLICY.staleAmberMs, redMs: DEFAULT_SYNC_POLICY.staleRedMs }).toEqual({ ...DEFAULT_DATA_STALENESS });
  });
});
