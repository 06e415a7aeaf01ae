// Observation reads over the index (patient_id, type, code, effective_ms): the latest observation
// of every code a patient has (one index seek per code, codes enumerated by a skip-scan), and the
// points of one code in a time window, in time order.
import { conceptText, latestObservation, observationComponents, type Json } from './chart-format.js';
import type { LatestObservation, TrendPoint } from './chart-types.js';
import type { Db } from './sqlcipher-connection.js';

export const LOINC = 'http://loinc.org';

interface TrendRow {
  readonly row: number;
  readonly ms: number;
  readonly value: number | null;
  readonly unit: string | null;
}

export interface LatestByCode {
  readonly code: string;
  readonly category: string | null;
  readonly effectiveMs: number | null;
  /** The newest reportable observation's rowid: its JSON is read only when shown. */
  readonly row: number;
}

/** The code column values a caller's code may be stored as: "system|code" as given; a bare code
 *  as LOINC or bare. */
export function storedCodesFor(code: string): string[] {
  return code.includes('|') ? [code] : [`${LOINC}|${code}`, code];
}

export interface ObservationQueries {
  /** For each Observation code of the patient, the latest reportable observation. */
  latestPerCode(patientId: string): LatestByCode[];
  /** Latest observations of one category ("vital-signs", "laboratory"), ordered by code. */
  latestOfCategory(patientId: string, category: string): LatestObservation[];
  /** Time of the patient's latest observation of `category`, as stored (ISO), or null. */
  latestTimeOfCategory(patientId: string, category: string): string | null;
  trend(patientId: string, code: string, fromMs: number, toMs: number): TrendPoint[];
}

export function createObservationQueries(db: Db): ObservationQueries {
  // The recursive CTE walks the distinct codes of the patient's observations with one index seek
  // each; the correlated subquery then takes each code's newest reportable row by the same index.
  const latestStatement = db.prepare<{ patientId: string }, LatestByCode>(`
    WITH RECURSIVE codes(code) AS (
      SELECT (SELECT min(code) FROM resources WHERE patient_id = @patientId AND type = 'Observation' AND code IS NOT NULL)
      UNION ALL
      SELECT (SELECT min(code) FROM resources WHERE patient_id = @patientId AND type = 'Observation' AND code > codes.code)
      FROM codes WHERE codes.code IS NOT NULL
    ),
    latest AS (
      SELECT codes.code AS code,
        (SELECT rowid FROM resources r
          WHERE r.patient_id = @patientId AND r.type = 'Observation' AND r.code = codes.code
            AND (r.status IS NULL OR r.status NOT IN ('entered-in-error', 'cancelled'))
          ORDER BY r.effective_ms DESC LIMIT 1) AS row
      FROM codes WHERE codes.code IS NOT NULL
    )
    SELECT latest.code AS code, resources.category AS category, resources.effective_ms AS effectiveMs, latest.row AS row
    FROM latest JOIN resources ON resources.rowid = latest.row
    ORDER BY latest.code`);
  // The trend is an index-only read (time, status, value and unit are index columns); only a
  // point without a number (a blood pressure panel's components, a coded ACVPU level) reads the resource.
  const trendStatement = db.prepare<{ patientId: string; code: string; fromMs: number; toMs: number }, TrendRow>(`
    SELECT rowid AS row, effective_ms AS ms, value_num AS value, value_unit AS unit
    FROM resources
    WHERE patient_id = @patientId AND type = 'Observation' AND code = @code
      AND effective_ms >= @fromMs AND effective_ms <= @toMs
      AND (status IS NULL OR status NOT IN ('entered-in-error', 'cancelled'))
    ORDER BY effective_ms`);
  const componentsOfRow = db.prepare<[number], { components: string | null; concept: string | null }>(
    "SELECT json -> '$.component' AS components, json -> '$.valueCodeableConcept' AS concept FROM resources WHERE rowid = ?",
  );
  const codePresent = db
    .prepare<{ patientId: string; code: string }, number>(
      `
    SELECT 1 FROM resources WHERE patient_id = @patientId AND type = 'Observation' AND code = @code LIMIT 1`,
    )
    .pluck();

  const jsonOfRow = db.prepare<[number], string>('SELECT json FROM resources WHERE rowid = ?').pluck();
  const latestPerCode = (patientId: string): LatestByCode[] => latestStatement.all({ patientId });
  const observationOf = (row: LatestByCode): LatestObservation =>
    latestObservation(JSON.parse(jsonOfRow.get(row.row) ?? '{}') as Json, row.code);

  return {
    latestPerCode,
    latestOfCategory(patientId, category) {
      return latestPerCode(patientId)
        .filter((row) => row.category === category)
        .map(observationOf);
    },
    latestTimeOfCategory(patientId, category) {
      let newest: LatestByCode | undefined;
      for (const row of latestPerCode(patientId)) {
        if (row.category !== category || row.effectiveMs === null) continue;
        if (newest === undefined || row.effectiveMs > (newest.effectiveMs ?? -Infinity)) newest = row;
      }
      return newest === undefined ? null : observationOf(newest).time;
    },
    trend(patientId, code, fromMs, toMs) {
      const stored = storedCodesFor(code).find((candidate) => codePresent.get({ patientId, code: candidate }) !== undefined);
      if (stored === undefined) return [];
      return trendStatement.all({ patientId, code: stored, fromMs, toMs }).map((row) => {
        const extra = row.value === null ? componentsOfRow.get(row.row) : undefined;
        const components = extra?.components ?? null;
        return {
          time: new Date(row.ms).toISOString(),
          value: row.value,
          unit: row.unit,
          valueText: extra === undefined || extra.concept === null ? null : conceptText(JSON.parse(extra.concept) as unknown),
          components: components === null ? [] : observationComponents({ component: JSON.parse(components) as unknown }),
        };
      });
    },
  };
}
