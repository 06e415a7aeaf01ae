// A vital-signs set as the nurse enters it, the shape chart:record-vitals carries: at least one value,
// each within its physiological range, blood pressure with both values and diastolic below systolic,
// an oxygen flow exactly when the patient is on oxygen, and ACVPU for consciousness.
import { z } from 'zod';
import { CONSCIOUSNESS_LEVELS } from './news2.js';
import { VITAL_FIELD_KEYS, vitalProblems } from './vital-ranges.js';

export const consciousnessSchema = z.enum(CONSCIOUSNESS_LEVELS);

export const vitalSignsEntrySchema = z
  .strictObject({
    effectiveAt: z.string().datetime({ offset: true }).optional(),
    heartRate: z.number().optional(),
    respiratoryRate: z.number().optional(),
    systolic: z.number().optional(),
    diastolic: z.number().optional(),
    temperatureCelsius: z.number().optional(),
    oxygenSaturation: z.number().optional(),
    painScore: z.number().optional(),
    /** true: on supplemental oxygen (then with its flow); false: breathing air. */
    onOxygen: z.boolean().optional(),
    oxygenFlowLitresPerMinute: z.number().optional(),
    consciousness: consciousnessSchema.optional(),
  })
  .superRefine((entry, context) => {
    const anyValue = VITAL_FIELD_KEYS.some((key) => entry[key] !== undefined) || entry.consciousness !== undefined;
    if (!anyValue) context.addIssue({ code: 'custom', message: 'Enter at least one vital sign.' });
    for (const problem of vitalProblems(entry)) context.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
  });

export type VitalSignsEntry = z.infer<typeof vitalSignsEntrySchema>;
