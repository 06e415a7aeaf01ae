// What a MAR print holds: who printed it and when, how old the data is, the time window, and one
// section per patient (their chart's printed parts, or a line saying why the chart was withheld).
import type { AllergySummary, MarRow, MedicationSummary } from '../vault/index.js';
import { PrintError } from './print-error.js';

/** The longest MAR window one print covers: a downtime MAR is for the shifts ahead, not the admission. */
export const MAX_PRINT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/** Who the patient is, as every page of their section names them. */
export interface PrintedIdentity {
  readonly name: string;
  readonly mrn: string | null;
  readonly birthDate: string | null;
  readonly gender: string | null;
  readonly bed: string | null;
}

export interface PrintedChart extends PrintedIdentity {
  readonly allergies: readonly AllergySummary[];
  /** True when "no known allergies" is documented (as opposed to nothing recorded). */
  readonly noKnownAllergies: boolean;
  /** The code status (the advance-directive alert's text), or null when none is recorded. */
  readonly codeStatus: string | null;
  /** Active alerts other than the code status (Flag text). */
  readonly alerts: readonly string[];
  readonly medications: readonly MedicationSummary[];
  readonly mar: readonly MarRow[];
}

export type PrintSection =
  | { readonly kind: 'chart'; readonly chart: PrintedChart }
  /** The census line only: the chart could not be printed here (restricted, not in the cache). */
  | { readonly kind: 'withheld'; readonly identity: PrintedIdentity; readonly reason: string };

export interface MarPrintJob {
  /** The signed-in user's name, as the mark shows it. */
  readonly printedBy: string;
  /** Epoch ms. */
  readonly printedAt: number;
  /** When the cached ward data was last brought up to date (ISO 8601), or null: never synced. */
  readonly dataAsOf: string | null;
  /** The MAR window asked for (ISO 8601). */
  readonly from: string;
  readonly to: string;
  /** The doses due this many hours after printedAt are listed to sign (policy, default 12). */
  readonly hoursAhead: number;
  readonly sections: readonly PrintSection[];
  /** IANA zone the times are printed in; the host's own zone when absent. */
  readonly timeZone?: string;
}

/** Refuses a window that ends before it starts or is longer than MAX_PRINT_WINDOW_MS. */
export function checkPrintWindow(from: string, to: string): void {
  const fromMs = Date.parse(from);
  const toMs = Date.parse(to);
  if (Number.isNaN(fromMs) || Number.isNaN(toMs) || toMs <= fromMs) {
    throw new PrintError('INVALID_WINDOW', 'The MAR window must end after it starts. Choose the start and end again.');
  }
  if (toMs - fromMs > MAX_PRINT_WINDOW_MS) {
    throw new PrintError(
      'INVALID_WINDOW',
      'A printed MAR covers at most 7 days. Choose a shorter window (usually the next 24 to 72 hours).',
    );
  }
}
