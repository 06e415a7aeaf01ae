// The chart reads: the ward census, one patient's chart summary, a vital sign's trend and the MAR.
// Each is audited by the host before its answer leaves (electron/audit, auditedChartReads).
import { z } from 'zod';
import { ID_PATTERN, INSTANT_PATTERN } from '../fhir/index.js';
import { channelTable, defineChannel } from './channel.js';
import { censusRowSchema, chartSummarySchema, marRowSchema, trendPointSchema } from './chart-schemas.js';

/** A Patient resource id (never a name or MRN). */
export const patientIdSchema = z.string().regex(ID_PATTERN, 'a patient id (FHIR id)');
/** A LOINC code, or "system|code" as the vault stores it. */
export const observationCodeSchema = z.string().regex(/^[^\s|]{1,200}(?:\|[^\s|]{1,64})?$/, 'an observation code, or system|code');
/**
 * On a chart read the window reloads (chart:summary, trend, mar, notes, recorded-entries, pending;
 * conflict:list): true when the load is a refresh of the view the user already has open (after a
 * sync:changed or a local write), so the host records no new chart-read for a patient that opening
 * already recorded (electron/host/view-reads.ts, docs/AUDIT.md). Absent or false: a new opening.
 */
export const viewRefreshSchema = z.boolean().optional();
/** An instant with seconds and a time zone (FHIR instant). */
export const instantSchema = z.string().regex(INSTANT_PATTERN, 'an instant (YYYY-MM-DDThh:mm:ss with a time zone)');

export const CHART_CHANNELS = channelTable([
  defineChannel({
    name: 'chart:census',
    summary: "the patients on this workstation's ward, by bed (each row without the clinical fields the role may not read)",
    permission: 'census:read',
    request: z.strictObject({}),
    response: z.array(censusRowSchema),
  }),
  defineChannel({
    name: 'chart:summary',
    summary:
      "one patient's chart summary, without the categories the role may not read, with whether it may be documented here (null when neither the chart cache nor an emergency copy holds the patient)",
    permission: 'chart:read',
    request: z.strictObject({ patientId: patientIdSchema, refresh: viewRefreshSchema }),
    response: chartSummarySchema.nullable(),
  }),
  defineChannel({
    name: 'chart:trend',
    summary: 'one vital sign of one patient over a time window',
    permission: 'category:read:vital-signs',
    request: z.strictObject({
      patientId: patientIdSchema,
      code: observationCodeSchema,
      from: instantSchema,
      to: instantSchema,
      refresh: viewRefreshSchema,
    }),
    response: z.array(trendPointSchema),
  }),
  defineChannel({
    name: 'chart:mar',
    summary: "one patient's medication administration record over a time window",
    permission: 'category:read:medication',
    request: z.strictObject({ patientId: patientIdSchema, from: instantSchema, to: instantSchema, refresh: viewRefreshSchema }),
    response: z.array(marRowSchema),
  }),
]);
