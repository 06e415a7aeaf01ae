// One message, start to answer: read it, authenticate its feed, and (unless it is a repeat of one
// already applied) apply it and record its duplicate key in ONE database transaction. The ACK is
// built only after that transaction has committed, so an AA always means "stored"; any failure
// before the commit answers AE/AR and leaves the hub as it was.
import type { Hl7Message } from '@medplum/core';
import type { Logger } from 'pino';
import { feedTransaction } from '../../fhir/index.js';
import type { SqlDatabase } from '../../storage/index.js';
import { isWardlineError } from '../../../shared/errors/index.js';
import { FhirValidationError } from '../../../shared/fhir/index.js';
import { AdtError } from './adt-error.js';
import { acceptAck, refusalAck } from './adt-ack.js';
import { applyAdtMessage } from './adt-apply.js';
import { readAdtMessage, readHeader, type AdtMessage } from './adt-message.js';
import { authenticateFeed } from './feeds.js';

export interface ReceiveContext {
  readonly db: SqlDatabase;
  readonly clock: () => Date;
  readonly logger: Logger;
}

export type ReceiveOutcome = 'applied' | 'duplicate' | 'refused';

/** Inserts the duplicate key; false when the same message was applied before. */
async function claimKey(tx: SqlDatabase, message: AdtMessage, now: Date): Promise<boolean> {
  const { application, facility, controlId } = message.header;
  const result = await tx.execute(
    `INSERT INTO adt_messages (application, facility, control_id, content_hash, event, received_ms) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (application, facility, control_id, content_hash) DO NOTHING`,
    [application, facility, controlId, message.contentHash, message.event, now.getTime()],
  );
  return result.changes > 0;
}

function asAdtError(error: unknown): AdtError {
  if (error instanceof AdtError) return error;
  if (error instanceof FhirValidationError) {
    return new AdtError('BAD_VALUE', 'A value in the message does not make a valid FHIR resource; nothing was applied.');
  }
  return new AdtError('NOT_STORED', 'The hub could not store this message just now; nothing was applied. Send it again.');
}

/** Handles one parsed message; resolves with the ACK to send (never rejects). */
export async function receiveAdtMessage(ctx: ReceiveContext, hl7: Hl7Message): Promise<{ ack: Hl7Message; outcome: ReceiveOutcome }> {
  let controlId = '';
  let event = '';
  try {
    controlId = readHeader(hl7).controlId;
    const message = readAdtMessage(hl7);
    event = message.event;
    const feed = await authenticateFeed(ctx.db, message.header);
    const now = ctx.clock();
    const applied = await feedTransaction(ctx.db, now, async (writer) => {
      if (!(await claimKey(writer.tx, message, now))) return null;
      return applyAdtMessage(writer, message);
    });
    const outcome: ReceiveOutcome = applied === null ? 'duplicate' : 'applied';
    ctx.logger.info(
      { event: 'adt.message', feed, trigger: event, controlId, outcome, patients: applied?.patientIds.length ?? 0 },
      'ADT message acknowledged',
    );
    const ack = applied === null ? acceptAck(hl7, 'Already applied; not applied again') : acceptAck(hl7);
    return { ack, outcome };
  } catch (error) {
    const refusal = asAdtError(error);
    const unexpected = !(error instanceof AdtError) && !(error instanceof FhirValidationError);
    ctx.logger[unexpected ? 'error' : 'warn'](
      {
        event: 'adt.refused',
        trigger: event || undefined,
        controlId: controlId || undefined,
        code: refusal.code,
        ...(unexpected ? { cause: isWardlineError(error) ? error.code : (error as Error)?.name } : {}),
      },
      'ADT message refused',
    );
    return { ack: refusalAck(hl7, refusal), outcome: 'refused' };
  }
}

/** Forgets duplicate keys older than `retentionDays`; returns how many. */
export async function purgeDuplicateKeys(db: SqlDatabase, retentionDays: number, now: Date): Promise<number> {
  const result = await db.execute('DELETE FROM adt_messages WHERE received_ms < $1', [now.getTime() - retentionDays * 86_400_000]);
  return result.changes;
}
