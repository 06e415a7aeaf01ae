import { describe, expect, it } from 'vitest';
import { vitalSignsEntrySchema } from './entry-schema.js';
import { vitalProblems, vitalValueProblem } from './vital-ranges.js';

describe('plausibility of a vital-signs set', () => {
  it('refuses a heart rate or respiratory rate of 0', () => {
    expect(vitalValueProblem('heartRate', 0)).toMatch(/above 0/);
    expect(vitalValueProblem('respiratoryRate', 0)).toMatch(/above 0/);
    expect(vitalValueProblem('heartRate', 72)).toBeNull();
  });

  it('refuses 372 °C (a lost decimal comma) and SpO2 above 100 %', () => {
    expect(vitalValueProblem('temperatureCelsius', 372)).toMatch(/outside what can be measured/);
    expect(vitalValueProblem('oxygenSaturation', 101)).toMatch(/outside/);
    expect(vitalValueProblem('oxygenSaturation', 100)).toBeNull();
    expect(vitalValueProblem('temperatureCelsius', 37.2)).toBeNull();
    expect(vitalValueProblem('temperatureCelsius', 37.25)).toMatch(/decimal/);
    expect(vitalValueProblem('heartRate', 72.5)).toMatch(/whole number/);
  });

  it('refuses a diastolic at or above the systolic, and half a blood pressure', () => {
    expect(vitalProblems({ systolic: 80, diastolic: 120 })).toEqual([
      { field: 'diastolic', message: expect.stringMatching(/below the systolic/) as string },
    ]);
    expect(vitalProblems({ systolic: 90, diastolic: 90 })).toHaveLength(1);
    expect(vitalProblems({ systolic: 120, diastolic: 80 })).toEqual([]);
    expect(vitalProblems({ systolic: 120 })[0]?.field).toBe('diastolic');
  });

  it('asks for the oxygen flow when on oxygen, and for "on oxygen" when a flow is given', () => {
    expect(vitalProblems({ onOxygen: true })[0]?.field).toBe('oxygenFlowLitresPerMinute');
    expect(vitalProblems({ oxygenFlowLitresPerMinute: 2 })[0]?.field).toBe('onOxygen');
    expect(vitalProblems({ onOxygen: true, oxygenFlowLitresPerMinute: 2 })).toEqual([]);
    expect(vitalProblems({ onOxygen: false })).toEqual([]);
  });

  it('the contract schema refuses the same sets the checks refuse, naming the field', () => {
    const swapped = vitalSignsEntrySchema.safeParse({ systolic: 60, diastolic: 98 });
    expect(swapped.success).toBe(false);
    expect(swapped.error?.issues[0]?.path).toEqual(['diastolic']);
    expect(vitalSignsEntrySchema.safeParse({ heartRate: 0 }).success).toBe(false);
    expect(vitalSignsEntrySchema.safeParse({}).success).toBe(false);
    expect(vitalSignsEntrySchema.safeParse({ consciousness: 'voice' }).success).toBe(true);
    expect(vitalSignsEntrySchema.safeParse({ heartRate: 104, onOxygen: true, oxygenFlowLitresPerMinute: 2 }).success).toBe(true);
    expect(vitalSignsEntrySchema.safeParse({ heartRate: 104, extra: 1 }).success).toBe(false);
  });
});
