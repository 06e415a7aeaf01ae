// One message, start to answer: read it, authenticate its feed, and (unless it is a repeat of one
// already applied) apply it and record its duplicate key in ONE database transaction. The ACK is
// built only after that transaction has committed, so an AA always means "stored"; any failure
// before the commit answers AE/AR and leaves the hub as it was.
import type { Hl7Message } from '@medplum/core';
import type { Logger } from 'pino';
import { feedGroupTransaction, feedTransaction, type FeedWriter } from '../../fhir/index.js';
import type { SqlDatabase } from '../../storage/index.js';
import { isWardlineError } from '../../../shared/errors/index.js';
import { FhirValidationError } from '../../../shared/fhir/index.js';
import { AdtError } from './adt-error.js';
import { acceptAck, refusalAck } from './adt-ack.js';
import { applyAdtMessage, readsOf, type AppliedEvent } from './adt-apply.js';
import { GroupLedger, sqlLedger, type AdtLedger } from './adt-ledger.js';
import { readAdtMessage, readHeader, type AdtMessage } from './adt-message.js';
import { authenticateFeed } from './feeds.js';

export interface ReceiveContext {
  readonly db: SqlDatabase;
  readonly clock: () => Date;
  readonly logger: Logger;
}

export type ReceiveOutcome = 'applied' | 'duplicate' | 'refused';

function asAdtError(error: unknown): AdtError {
  if (error instanceof AdtError) return error;
  if (error instanceof FhirValidationError) {
    return new AdtError('BAD_VALUE', 'A value in the message does not make a valid FHIR resource; nothing was applied.');
  }
  return new AdtError('NOT_STORED', 'The hub could not store this message just now; nothing was applied. Send it again.');
}

/** Why a message was refused, for its ACK and the log; `unexpected` marks a hub fault (logged as an error). */
function refusalOf(error: unknown): { refusal: AdtError; unexpected: boolean } {
  return { refusal: asAdtError(error), unexpected: !(error instanceof AdtError) && !(error instanceof FhirValidationError) };
}

/** A message of a group, read and authenticated, waiting for its turn in the group's transaction. */
interface ReadMessage {
  readonly hl7: Hl7Message;
  readonly message: AdtMessage;
  readonly feed: string;
}

/** `authenticated`: the message carried its feed's credential (refused or not, it came from a feed). */
type Answer = { ack: Hl7Message; outcome: ReceiveOutcome; authenticated: boolean };

/** How far ahead of the hub's clock an event may be (clocks drift; a wrong date or time zone is more). */
export const MAX_EVENT_AHEAD_MS = 24 * 60 * 60_000;

/**
 * An event dated ahead of the hub's clock (a wrong year or month, a mistyped date) is refused:
 * applied, it would be the patient's newest event, and every true event after it would be refused
 * as out of order until that date.
 */
function refuseFutureEvent(message: AdtMessage, now: Date): void {
  if (message.eventMs > now.getTime() + MAX_EVENT_AHEAD_MS) {
    throw new AdtError(
      'BAD_VALUE',
      "The event time (EVN-6, else EVN-2, else MSH-7) is more than a day ahead of the hub's clock; check the date and the engine's clock. Nothing was applied.",
      'EVN-2',
    );
  }
}

function logRefused(
  ctx: ReceiveContext,
  hl7: Hl7Message,
  error: unknown,
  controlId: string,
  event: string,
  authenticated: boolean,
): Answer {
  const { refusal, unexpected } = refusalOf(error);
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
  return { ack: refusalAck(hl7, refusal), outcome: 'refused', authenticated };
}

function logApplied(ctx: ReceiveContext, read: ReadMessage, applied: AppliedEvent | null): Answer {
  const { message, hl7, feed } = read;
  const outcome: ReceiveOutcome = applied === null ? 'duplicate' : 'applied';
  ctx.logger.info(
    {
      event: 'adt.message',
      feed,
      trigger: message.event,
      controlId: message.header.controlId,
      outcome,
      patients: applied?.patientIds.length ?? 0,
    },
    'ADT message acknowledged',
  );
  return { ack: applied === null ? acceptAck(hl7, 'Already applied; not applied again') : acceptAck(hl7), outcome, authenticated: true };
}

/** Applies one read message with `writer` and `ledger` (unless it is a repeat: null). */
async function applyWith(writer: FeedWriter, ledger: AdtLedger, now: Date, read: ReadMessage): Promise<AppliedEvent | null> {
  if (!(await ledger.claim(read.message, now))) return null;
  return applyAdtMessage(writer, read.message, ledger);
}

/** Applies one read message in a durable transaction of its own. */
function applyRead(db: SqlDatabase, now: Date, read: ReadMessage): Promise<AppliedEvent | null> {
  return feedTransaction(db, now, (writer) => applyWith(writer, sqlLedger(writer.tx), now, read));
}

/** Handles one parsed message in its own durable transaction; resolves with the ACK to send (never rejects). */
export async function receiveAdtMessage(ctx: ReceiveContext, hl7: Hl7Message): Promise<Answer> {
  return (await receiveAdtMessages(ctx, [hl7]))[0]!;
}

/**
 * Handles the messages waiting on one connection, in order, as ONE group commit: every message is
 * read and its feed authenticated, then all are applied in one durable transaction (one hub-clock
 * stamp for the group), each all-or-nothing on its own (feedGroupTransaction; its duplicate key and
 * patient order through the group's ledger): a refused message leaves nothing and gets its AE/AR,
 * the others stay. The answers are built only once that transaction has committed and been synced.
 * Resolves with one answer per message, in order (never rejects). Should the group itself fail (a
 * hub fault, not a refusal), its messages are handled again one by one, each in its own
 * transaction, so one fault refuses one message only.
 */
export async function receiveAdtMessages(ctx: ReceiveContext, hl7s: readonly Hl7Message[]): Promise<Answer[]> {
  const answers: (Answer | null)[] = hl7s.map(() => null);
  const reads: (ReadMessage | null)[] = hl7s.map(() => null);
  const feeds = new Map<string, string>();
  for (const [index, hl7] of hl7s.entries()) {
    let controlId = '';
    let event = '';
    let authenticated = false;
    try {
      const header = readHeader(hl7);
      controlId = header.controlId;
      // The feed first: a sender without its credential is refused before the rest is read.
      // One look-up per sender and secret in a group (a revoked feed is refused from the next group on).
      const key = `${header.application}\u0000${header.facility}\u0000${header.security}`;
      let feed = feeds.get(key);
      if (feed === undefined) {
        feed = await authenticateFeed(ctx.db, header);
        feeds.set(key, feed);
      }
      authenticated = true;
      const message = readAdtMessage(hl7);
      event = message.event;
      refuseFutureEvent(message, ctx.clock());
      reads[index] = { hl7, message, feed };
    } catch (error) {
      answers[index] = logRefused(ctx, hl7, error, controlId, event, authenticated);
    }
  }
  const waiting = reads.flatMap((read, index) => (read === null ? [] : [index]));
  if (waiting.length === 0) return answers as Answer[];

  type Result = { applied: AppliedEvent | null } | { error: unknown };
  let results: Result[] | null = null;
  if (waiting.length > 1) {
    try {
      results = await feedGroupTransaction(ctx.db, ctx.clock(), async (group) => {
        // Built afresh on every attempt (PostgreSQL may run this again after a serialization failure).
        const attempt: Result[] = [];
        const ledger = new GroupLedger(group.tx);
        await ledger.prefetch(waiting.map((index) => reads[index]!.message));
        const groupReads = waiting.map((index) => readsOf(reads[index]!.message));
        await group.prefetchIdentifiers(groupReads.flatMap((next) => next.identifiers));
        await group.prefetchResources(groupReads.flatMap((next) => next.resources));
        for (const index of waiting) {
          const read = reads[index]!;
          const now = ctx.clock();
          try {
            if (read.message.event === 'A40') {
              // A merge re-keys whole compartments: it runs on its own, after the group so far is written.
              await ledger.write();
              attempt.push({ applied: await group.runIsolated((writer) => applyWith(writer, sqlLedger(writer.tx), now, read)) });
            } else {
              const share = ledger.forMessage();
              attempt.push({ applied: await group.run((writer) => applyWith(writer, share.ledger, now, read)) });
              share.keep();
            }
          } catch (error) {
            // A refusal is this message's own; anything else (a database fault) fails the group.
            if (refusalOf(error).unexpected) throw error;
            attempt.push({ error });
          }
        }
        await ledger.write();
        return attempt;
      });
    } catch {
      results = null; // Nothing of the group was kept: each message goes again on its own below.
    }
  }
  for (const [position, index] of waiting.entries()) {
    const read = reads[index]!;
    let result = results?.[position];
    if (result === undefined) {
      try {
        result = { applied: await applyRead(ctx.db, ctx.clock(), read) };
      } catch (error) {
        result = { error };
      }
    }
    answers[index] =
      'error' in result
        ? logRefused(ctx, read.hl7, result.error, read.message.header.controlId, read.message.event, true)
        : logApplied(ctx, read, result.applied);
  }
  return answers as Answer[];
}

/** Forgets duplicate keys older than `retentionDays`; returns how many. */
export async function purgeDuplicateKeys(db: SqlDatabase, retentionDays: number, now: Date): Promise<number> {
  const result = await db.execute('DELETE FROM adt_messages WHERE received_ms < $1', [now.getTime() - retentionDays * 86_400_000]);
  return result.changes;
}
