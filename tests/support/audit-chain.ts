// A workstation's audit chain as docs/AUDIT.md defines it, for hub tests: entry bodies hashed as
// SHA-256(previousHash ‖ canonical JSON of the body), uploaded as AuditEvents carrying the
// audit-chain extension with the hashed entry (base64). Bodies are fixed per sequence once built,
// so the chain links; `event(n, { hash })` or `tampered` lets a test send what an attacker would.
import { createHash, randomUUID } from 'node:crypto';
import { AUDIT_CHAIN_EXTENSION_URL, GENESIS_PREVIOUS_HASH } from '../../shared/auth/index.js';
import { canonicalJson } from '../../shared/json/index.js';

export interface EntryFields {
  readonly time?: string;
  readonly user?: string | null;
  readonly session?: string | null;
  readonly action?: string;
  readonly patient?: string | null;
  readonly resources?: readonly string[];
  readonly outcome?: string;
  readonly purposeOfUse?: string | null;
  readonly requestor?: boolean;
  readonly query?: string | null;
  readonly detail?: Readonly<Record<string, string | number | boolean>>;
}

export interface EventOptions {
  readonly id?: string;
  readonly previousHash?: string;
  readonly hash?: string;
  /** Replaces the hashed entry sent (the hash stays the one of the genuine body). */
  readonly entryText?: string;
  /** Leaves the hashed entry out altogether. */
  readonly withoutEntry?: boolean;
  /** Another AuditEvent.action than the default, e.g. to send other content under the same id. */
  readonly action?: string;
}

export class TestAuditChain {
  private readonly bodies = new Map<number, Record<string, unknown>>();
  private readonly hashes = new Map<number, string>([[0, GENESIS_PREVIOUS_HASH]]);

  constructor(
    /** The hub's client id of the workstation (observer Device/{id}). */
    readonly deviceId: string,
    /** The workstation's own audit-log id (the body's `device`). */
    readonly auditLogId: string = randomUUID(),
    private readonly defaults: (sequence: number) => EntryFields = (sequence) => ({
      time: new Date(Date.UTC(2026, 2, 2, 8, 0, sequence)).toISOString(),
      user: 'pr-1',
      action: 'sign-in',
    }),
  ) {}

  /** Fixes the body of `sequence` (before it, or anything after it, was built). */
  define(sequence: number, fields: EntryFields): this {
    if (this.bodies.has(sequence)) throw new Error(`entry ${sequence} is already built`);
    this.bodies.set(sequence, this.bodyOf(sequence, fields));
    return this;
  }

  private bodyOf(sequence: number, fields: EntryFields): Record<string, unknown> {
    const merged = { ...this.defaults(sequence), ...fields };
    return {
      sequence,
      time: merged.time ?? new Date(Date.UTC(2026, 2, 2, 8, 0, sequence)).toISOString(),
      device: this.auditLogId,
      user: merged.user ?? null,
      session: merged.session ?? null,
      action: merged.action ?? 'sign-in',
      patient: merged.patient ?? null,
      resources: [...(merged.resources ?? [])].sort(),
      outcome: merged.outcome ?? 'success',
      purposeOfUse: merged.purposeOfUse ?? null,
      requestor: merged.requestor ?? true,
      query: merged.query ?? null,
      detail: merged.detail ?? {},
    };
  }

  body(sequence: number): Record<string, unknown> {
    let body = this.bodies.get(sequence);
    if (body === undefined) {
      body = this.bodyOf(sequence, {});
      this.bodies.set(sequence, body);
    }
    return body;
  }

  hash(sequence: number): string {
    let hash = this.hashes.get(sequence);
    if (hash === undefined) {
      hash = createHash('sha256')
        .update(this.hash(sequence - 1), 'ascii')
        .update(canonicalJson(this.body(sequence)), 'utf8')
        .digest('hex');
      this.hashes.set(sequence, hash);
    }
    return hash;
  }

  event(sequence: number, options: EventOptions = {}) {
    const body = this.body(sequence);
    const entryText = options.entryText ?? canonicalJson(body);
    const patient = typeof body.patient === 'string' ? body.patient : null;
    const user = typeof body.user === 'string' ? body.user : null;
    return {
      resourceType: 'AuditEvent',
      id: options.id ?? `${this.deviceId}-${sequence}`,
      extension: [
        {
          url: AUDIT_CHAIN_EXTENSION_URL,
          extension: [
            { url: 'sequence', valueInteger: sequence },
            { url: 'previousHash', valueString: options.previousHash ?? this.hash(sequence - 1) },
            { url: 'hash', valueString: options.hash ?? this.hash(sequence) },
            ...(options.withoutEntry ? [] : [{ url: 'entry', valueBase64Binary: Buffer.from(entryText, 'utf8').toString('base64') }]),
          ],
        },
      ],
      type: { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110114', display: 'User Authentication' },
      action: options.action ?? 'E',
      recorded: String(body.time),
      agent: [
        { who: { reference: `Device/${this.deviceId}` }, requestor: user === null },
        ...(user === null
          ? []
          : [{ who: { identifier: { system: 'https://wardline.example/fhir/NamingSystem/user', value: user } }, requestor: true }]),
      ],
      source: { observer: { reference: `Device/${this.deviceId}` } },
      ...(patient === null ? {} : { entity: [{ what: { reference: `Patient/${patient}` } }] }),
    };
  }
}
