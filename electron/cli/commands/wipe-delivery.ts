// The wipe's last upload of the audit trail as this device (its own entry included, before the
// device key is destroyed), and the one line `wardline wipe` prints when the hub does not hold the
// whole trail after it (exit 3): how many entries were not sent and why (the hub unreachable, or
// refusing them with its code: a 409 means it holds other entries under the same ids), whether the
// signed checkpoint of the chain head was stored, and whether the hub holds another entry at that
// head; then the export command that keeps what stays here.
import { counted } from '../../../shared/display/index.js';
import { AuditCheckpointFailed, type AuditLog, type AuditUploadReport } from '../../audit/index.js';
import type { NoHubLink, WipeHubLink } from './wipe-hub-link.js';

export type Delivery =
  | {
      readonly kind: 'uploaded';
      readonly report: AuditUploadReport;
      /** The signed checkpoint did not reach the hub or was refused (it cannot be sent again: the device key goes). */
      readonly checkpointFailed?: { readonly sequence: number; readonly reason: string };
    }
  | { readonly kind: 'unreachable'; readonly code: string; readonly remaining: number }
  | { readonly kind: 'no-link'; readonly reason: NoHubLink; readonly remaining?: number };

/** Uploads what the hub has not acknowledged, the wipe's own entry included, then the signed head; never rejects. */
export async function deliver(link: WipeHubLink | NoHubLink, audit: AuditLog): Promise<Delivery> {
  if (typeof link === 'string') return { kind: 'no-link', reason: link, remaining: audit.queue.pendingCount() };
  try {
    return { kind: 'uploaded', report: await link.upload(audit) };
  } catch (error) {
    if (error instanceof AuditCheckpointFailed) {
      return { kind: 'uploaded', report: error.report, checkpointFailed: { sequence: error.sequence, reason: error.reason } };
    }
    const code = (error as { code?: unknown }).code;
    return { kind: 'unreachable', code: typeof code === 'string' ? code : 'error', remaining: audit.queue.pendingCount() };
  }
}

/** The hub holds the whole trail, its signed head included. */
export function deliveredWhole(delivery: Delivery): delivery is Extract<Delivery, { kind: 'uploaded' }> {
  return (
    delivery.kind === 'uploaded' &&
    delivery.report.remaining === 0 &&
    delivery.checkpointFailed === undefined &&
    delivery.report.checkpointMatches !== false
  );
}

const entries = (n: number): string => counted(n, 'audit entry', 'audit entries');

/** What a refusal code means for the operator (the hub's own message is in the log). */
const REFUSAL_MEANING: Readonly<Record<string, string>> = {
  AUDIT_EVENT_CONFLICT: 'the hub holds other entries under the same ids: the chain here is not the one the hub holds',
  AUDIT_WRONG_DEVICE: 'they name another device',
  AUDIT_EVENT_INVALID: 'the hub does not take their content',
  AUDIT_CHAIN_MISSING: 'they lack their hashed entry',
};

function refusalText(report: AuditUploadReport): string {
  const reasons = Object.entries(report.refusedBecause).map(([code, n]) => {
    const meaning = REFUSAL_MEANING[code];
    return `${n} ${code}${meaning === undefined ? '' : `: ${meaning}`}`;
  });
  return reasons.length === 0 ? 'details in logs/wardline.log' : reasons.join(', ');
}

/** The parts of the line for an upload that went through but left the hub without the whole trail. */
function uploadedParts(delivery: Extract<Delivery, { kind: 'uploaded' }>): string[] {
  const { report, checkpointFailed } = delivery;
  const parts: string[] = [];
  parts.push(
    report.remaining > 0
      ? `${entries(report.remaining)} ${report.remaining === 1 ? 'was' : 'were'} not sent: the hub refused ${report.refused === 1 ? 'it' : 'them'} (${refusalText(report)})`
      : `no audit entry is left unsent (${report.sent} sent now, this wipe's included)`,
  );
  if (checkpointFailed !== undefined) {
    parts.push(
      `the signed checkpoint of the chain head (sequence ${checkpointFailed.sequence}) was not stored, ${checkpointFailed.reason}, and cannot be sent again (the device key is destroyed)`,
    );
  } else if (report.checkpointMatches === false && report.checkpoint !== null) {
    parts.push(
      `the hub holds a different entry at the signed chain head (sequence ${report.checkpoint.sequence}): the chain here is not the one the hub holds (the hub flags it for the privacy officer)`,
    );
  }
  return parts;
}

/** The line for exit 3 (null when nothing is left to do): what the hub lacks, then how to keep it; `also`: other problems of the wipe to name in it. */
export function deliveryText(delivery: Delivery, dataDir: string, also: readonly string[] = []): string | null {
  const keep = `export the audit trail before deleting the folder and keep the file with the decommission record: wardline audit export --format fhir --data ${dataDir} > FILE`;
  let what: string | null;
  switch (delivery.kind) {
    case 'uploaded':
      what = deliveredWhole(delivery)
        ? null
        : `The wipe is done, but the hub does not hold the whole audit trail: ${uploadedParts(delivery).join('; ')}`;
      break;
    case 'unreachable':
      what = `The hub could not be reached (${delivery.code}): ${entries(delivery.remaining)}, this wipe's included, ${delivery.remaining === 1 ? 'was not sent and stays' : 'were not sent and stay'} in the audit trail here`;
      break;
    case 'no-link':
      // A vault that was never enrolled has no hub to send to: nothing is expected there.
      what =
        delivery.reason === 'no-vault' || delivery.reason === 'not-enrolled' || delivery.remaining === 0
          ? null
          : `The audit trail could not be sent (${delivery.reason === 'device-key-missing' ? 'the device key is missing from the keystore' : 'the vault could not be read'}): ${delivery.remaining === undefined ? 'some audit entries' : entries(delivery.remaining)}, this wipe's included, ${delivery.remaining === 1 ? 'stays' : 'stay'} in the audit trail here`;
      break;
  }
  const problems = [...(what === null ? [] : [what]), ...also];
  return problems.length === 0 ? null : `${problems.join('. ')}; ${keep}`;
}
