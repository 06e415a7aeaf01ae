// Store-and-forward of the audit trail: entries the hub has not acknowledged go up in FHIR batch
// Bundles of PUT AuditEvent/{id} (client-assigned ids, so a repeat is harmless); an entry is marked
// sent only after the hub answered 2xx for it; the hub's answer (its highest contiguous sequence)
// is kept; then the workstation signs its chain head with its device key and posts that checkpoint.
// Nothing is ever deleted here: entries stay in the log, marked or not.
//
// The AuditTransport port is what this needs of the hub connection (the sync room's authenticated,
// pinned HTTPS client in the host; the hub harness in tests). It is handed the Bundle's JSON text,
// serialised here while the hub works on the previous one (a 1,000-entry Bundle is about 3 MB: the
// hub would otherwise wait for that between two Bundles), and should send it as it is, with
// `Prefer: return=minimal`: the answer then holds statuses only.
import type { CryptoKey } from 'jose';
import type { Logger } from 'pino';
import {
  AUDIT_CHAIN_STATUS_EXTENSION_URL,
  auditCheckpointResponseSchema,
  createAuditCheckpoint,
  hubErrorCode,
  type AuditCheckpointClaims,
} from '../../shared/auth/index.js';
import { MAX_BUNDLE_ENTRIES, MAX_REQUEST_BODY_BYTES, type Bundle } from '../../shared/fhir/index.js';
import type { AuditEntry } from './audit-entry.js';
import { AuditError } from './audit-error.js';
import { auditEventOf } from './audit-event-mapping.js';
import type { AuditLog } from './audit-log.js';
import type { AuditCheckpointRecord } from './upload-queue.js';

export interface HubAnswer {
  readonly status: number;
  /** The parsed JSON body (null when empty). */
  readonly body: unknown;
}

export interface AuditTransport {
  /** POST /fhir with a batch Bundle (its JSON text, sent as it is), as this device. Rejects when the hub cannot be reached. */
  postBundle(bundleJson: string): Promise<HubAnswer>;
  /** POST /audit/checkpoint with { jws }, as this device. */
  postCheckpoint(jws: string): Promise<HubAnswer>;
}

/** Signs the chain head with the device key (compact JWS, ES384; see shared/auth createAuditCheckpoint). */
export interface CheckpointSigner {
  sign(claims: AuditCheckpointClaims): Promise<string>;
}

export function deviceKeySigner(privateKey: CryptoKey | (() => Promise<CryptoKey>)): CheckpointSigner {
  return {
    async sign(claims) {
      return createAuditCheckpoint(typeof privateKey === 'function' ? await privateKey() : privateKey, claims);
    },
  };
}

export interface AuditUploaderOptions {
  readonly log: AuditLog;
  readonly transport: AuditTransport;
  /** The hub's id for this workstation (the enrollment's clientId): AuditEvent.source.observer. */
  readonly deviceId: string;
  readonly signer: CheckpointSigner;
  /** Entries per Bundle (default and most: 1,000, what the hub takes in one Bundle). */
  readonly batchSize?: number;
  readonly now?: () => Date;
  readonly logger?: Logger;
}

export interface AuditUploadReport {
  /** Entries the hub took in this run (2xx each). */
  readonly sent: number;
  /** Entries the hub refused in this run (they stay queued and are tried again next time). */
  readonly refused: number;
  /** Why, as the hub said: its error code (or `HTTP nnn` when it gave none) and how many entries. */
  readonly refusedBecause: Readonly<Record<string, number>>;
  readonly batches: number;
  /** The hub's highest contiguous sequence for this workstation, after this run. */
  readonly hubAcknowledged: number | null;
  /** The checkpoint signed and stored by the hub in this run, if any. */
  readonly checkpoint: AuditCheckpointRecord | null;
  /** Whether the hub holds, at the checkpoint's sequence, the same hash (null: not yet held). */
  readonly checkpointMatches: boolean | null;
  /** Entries still waiting. */
  readonly remaining: number;
}

interface BatchResponse {
  readonly extension?: readonly { url?: unknown; valueInteger?: unknown }[];
  readonly entry?: readonly { response?: { status?: unknown; outcome?: unknown } }[];
}

/**
 * Every entry went as far as the hub would take it, but the signed chain head did not reach the hub
 * or the hub refused it (code CHECKPOINT_FAILED). `report` is what the entries' upload achieved; the
 * checkpoint is signed and sent again at the next upload.
 */
export class AuditCheckpointFailed extends AuditError {
  constructor(
    message: string,
    readonly report: AuditUploadReport,
    /** The chain head that was to be signed. */
    readonly sequence: number,
    /** Why, for one line: "the hub could not be reached", "the hub refused it (HTTP 400, CHECKPOINT_INVALID)". */
    readonly reason: string,
    cause?: unknown,
  ) {
    super('CHECKPOINT_FAILED', `${message} The signed checkpoint is sent again at the next upload.`, cause === undefined ? {} : { cause });
  }
}

function uploadFailed(message: string, cause?: unknown): AuditError {
  return new AuditError(
    'UPLOAD_FAILED',
    `${message} The audit entries stay on this workstation and are sent at the next attempt.`,
    cause === undefined ? {} : { cause },
  );
}

export class AuditUploader {
  readonly #o: AuditUploaderOptions;
  readonly #batchSize: number;
  #running: Promise<AuditUploadReport> | null = null;

  constructor(options: AuditUploaderOptions) {
    this.#o = options;
    this.#batchSize = Math.max(1, Math.min(MAX_BUNDLE_ENTRIES, Math.trunc(options.batchSize ?? MAX_BUNDLE_ENTRIES)));
  }

  /** Sends everything pending, then a signed checkpoint. A call during a run joins that run. */
  upload(): Promise<AuditUploadReport> {
    this.#running ??= this.#run().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #run(): Promise<AuditUploadReport> {
    const { log, deviceId, logger } = this.#o;
    if (log.queue.hubDeviceId() !== deviceId) log.queue.setHubDeviceId(deviceId);
    let sent = 0;
    let refused = 0;
    let batches = 0;
    const refusedBecause: Record<string, number> = {};
    // One request in flight at a time, so the hub receives the chain in order; but the hub is never
    // left idle for the workstation: while it works through one Bundle the next one is built and
    // serialised, and posted as soon as the answer comes, before the answered entries are marked.
    let current = this.#prepare(0);
    let answer = current === null ? null : this.#post(current.bundle);
    while (current !== null && answer !== null) {
      answer.catch(() => undefined);
      await new Promise<void>((resolve) => setImmediate(resolve));
      const next = this.#prepare(current.batch[current.batch.length - 1]!.sequence);
      const received = await answer;
      const nextAnswer = next === null ? null : this.#post(next.bundle);
      if (nextAnswer !== null) {
        nextAnswer.catch(() => undefined);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      const outcome = this.#settle(current.batch, received);
      batches += 1;
      sent += outcome.accepted.length;
      refused += outcome.refused.length;
      for (const why of outcome.refused) refusedBecause[why] = (refusedBecause[why] ?? 0) + 1;
      current = next;
      answer = nextAnswer;
    }
    const reportWith = (checkpoint: AuditCheckpointRecord | null, matches: boolean | null): AuditUploadReport => ({
      sent,
      refused,
      refusedBecause,
      batches,
      hubAcknowledged: log.queue.hubAcknowledged(),
      checkpoint,
      checkpointMatches: matches,
      remaining: log.queue.pendingCount(),
    });
    let signed: { checkpoint: AuditCheckpointRecord | null; matches: boolean | null } = { checkpoint: null, matches: null };
    if (sent > 0 || this.#headChanged()) {
      const outcome = await this.#checkpoint();
      if ('failed' in outcome) {
        const { message, reason, sequence, cause } = outcome.failed;
        throw new AuditCheckpointFailed(message, reportWith(null, null), sequence, reason, cause);
      }
      signed = outcome;
    }
    const report = reportWith(signed.checkpoint, signed.matches);
    logger?.info(
      { event: 'audit.upload', sent, refused, batches, hubAcknowledged: report.hubAcknowledged, remaining: report.remaining },
      'audit entries uploaded',
    );
    return report;
  }

  /**
   * The next batch after `cursor` and its Bundle's JSON text, or null when nothing is left. A batch
   * whose text would pass the hub's body limit (unusually large entries) is halved until it fits.
   */
  #prepare(cursor: number): { batch: AuditEntry[]; bundle: string } | null {
    const pending = this.#o.log.queue.pending(this.#batchSize, cursor);
    if (pending.length === 0) return null;
    const source = { hubDeviceId: this.#o.deviceId };
    const entries = pending.map(({ entry, bodyJson }) => {
      const resource = auditEventOf(entry, source, bodyJson);
      return { resource, request: { method: 'PUT' as const, url: `AuditEvent/${resource.id}` } };
    });
    let count = entries.length;
    for (;;) {
      const bundle: Bundle = { resourceType: 'Bundle', type: 'batch', entry: count === entries.length ? entries : entries.slice(0, count) };
      const text = JSON.stringify(bundle);
      if (count === 1 || Buffer.byteLength(text) <= MAX_REQUEST_BODY_BYTES) {
        return { batch: pending.slice(0, count).map((p) => p.entry), bundle: text };
      }
      count = Math.ceil(count / 2);
    }
  }

  async #post(bundle: string): Promise<HubAnswer> {
    let answer: HubAnswer;
    try {
      answer = await this.#o.transport.postBundle(bundle);
    } catch (error) {
      throw uploadFailed('The hub could not be reached to send the audit trail.', error);
    }
    if (answer.status === 429) throw uploadFailed('The hub asked this workstation to slow down (rate limit).');
    if (answer.status !== 200) {
      const code = hubErrorCode(answer.body);
      throw uploadFailed(`The hub refused the audit upload (HTTP ${answer.status}${code ? `, ${code}` : ''}).`);
    }
    return answer;
  }

  /** Marks what the hub took (2xx per entry) and keeps its answer; `refused`: why, per entry refused. */
  #settle(batch: readonly AuditEntry[], answer: HubAnswer): { accepted: number[]; refused: string[] } {
    const { log, logger } = this.#o;
    const response = (answer.body ?? {}) as BatchResponse;
    const statuses = Array.isArray(response.entry) ? response.entry : [];
    const accepted: number[] = [];
    const refused: string[] = [];
    batch.forEach((entry, index) => {
      const status = statuses[index]?.response?.status;
      if (typeof status === 'string' && status.startsWith('2')) {
        accepted.push(entry.sequence);
      } else {
        const httpStatus = typeof status === 'string' ? status.slice(0, 3) : null;
        const code = hubErrorCode(statuses[index]?.response?.outcome) ?? null;
        refused.push(code ?? (httpStatus === null ? 'no answer for the entry' : `HTTP ${httpStatus}`));
        logger?.warn(
          { event: 'audit.upload_refused', sequence: entry.sequence, status: httpStatus, code },
          'the hub refused an audit entry',
        );
      }
    });
    const head = response.extension?.find((e) => e.url === AUDIT_CHAIN_STATUS_EXTENSION_URL)?.valueInteger;
    const acknowledged =
      typeof head === 'number' && Number.isSafeInteger(head) && head >= 0
        ? { sequence: head, at: (this.#o.now?.() ?? new Date()).toISOString() }
        : undefined;
    // The marks and the hub's answer together: a crash between them would leave every entry sent and
    // the acknowledgement stale, with nothing left to send that would bring a fresh one.
    log.queue.markSent(accepted, acknowledged);
    return { accepted, refused };
  }

  #headChanged(): boolean {
    const last = this.#o.log.queue.lastCheckpoint();
    const head = this.#o.log.head();
    return head.sequence > 0 && (last === null || last.sequence !== head.sequence || last.hash !== head.hash);
  }

  async #checkpoint(): Promise<
    | { checkpoint: AuditCheckpointRecord | null; matches: boolean | null }
    | { failed: { message: string; reason: string; sequence: number; cause?: unknown } }
  > {
    const { log, transport, signer, deviceId, logger } = this.#o;
    const head = log.head();
    if (head.sequence === 0) return { checkpoint: null, matches: null };
    const time = (this.#o.now?.() ?? new Date()).toISOString();
    const jws = await signer.sign({ deviceId, sequence: head.sequence, hash: head.hash, time });
    let answer: HubAnswer;
    try {
      answer = await transport.postCheckpoint(jws);
    } catch (error) {
      const message = 'The audit entries were sent, but the signed checkpoint could not reach the hub.';
      return { failed: { message, reason: 'the hub could not be reached', sequence: head.sequence, cause: error } };
    }
    if (answer.status !== 201) {
      const code = hubErrorCode(answer.body);
      const refusal = `HTTP ${answer.status}${code ? `, ${code}` : ''}`;
      const message = `The audit entries were sent, but the hub refused the signed checkpoint (${refusal}).`;
      return { failed: { message, reason: `the hub refused it (${refusal})`, sequence: head.sequence } };
    }
    const parsed = auditCheckpointResponseSchema.safeParse(answer.body);
    const matches = parsed.success ? parsed.data.matchesHeldChain : null;
    if (matches === false) {
      logger?.error(
        { event: 'audit.checkpoint_mismatch', sequence: head.sequence },
        'the hub holds a different audit entry at the signed chain head',
      );
    }
    const checkpoint = { sequence: head.sequence, hash: head.hash, at: time };
    log.queue.setLastCheckpoint(checkpoint);
    return { checkpoint, matches };
  }
}
