// Right patient, the second identifier (Joint Commission NPSG.01.01.01): before a dose is saved the
// nurse scans the wristband (a USB scanner types its content and Enter) or types the MRN, and it
// must match the chart's MRN. A wristband may carry the identifier with its system
// ("urn:wardline:mrn|MRN0001234") or a label ("MRN: 0001234"); only the value counts.

export type ConfirmationMethod = 'scan' | 'typed';

export interface PatientConfirmation {
  readonly method: ConfirmationMethod;
  readonly value: string;
}

/** The identifier value a scan or a typed entry holds: after a system ("…|") or label ("MRN:"), without spaces, upper case. */
export function confirmedIdentifier(value: string): string {
  const afterSystem = value.includes('|') ? value.slice(value.lastIndexOf('|') + 1) : value;
  const unlabelled = afterSystem.replace(/^\s*mrn\s*[:#]\s*/i, '');
  // Whitespace and what a scanner may add (Enter, Tab) are not part of the identifier.
  return unlabelled.replace(/\s+/g, '').toUpperCase();
}

/** True when the confirmation names the chart's MRN. A chart without an MRN cannot be confirmed. */
export function confirmsPatient(confirmation: PatientConfirmation | undefined, mrn: string | null): boolean {
  if (confirmation === undefined || mrn === null) return false;
  const given = confirmedIdentifier(confirmation.value);
  return given.length > 0 && given === confirmedIdentifier(mrn);
}
