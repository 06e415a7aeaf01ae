// Enrollment: `wardline enroll --hub URL --token T --pin SPKI`. Makes the device key pair (private
// half into the OS keystore, never on disk), registers the public half with the hub (POST
// /auth/enroll over the pinned connection), and records hub URL, pin, client id and ward in the
// vault, creating the vault for that ward when there is none. Audited as an 'enrollment' event.
import type { Logger } from 'pino';
import { enrollResponseSchema, generateDeviceKeyPair, hubErrorCode, type EnrollResponse } from '../../shared/auth/index.js';
import { createVault, openVault, vaultExists, wipeVault, type EnrollmentRecord, type KeyCustodian, type Vault } from '../vault/index.js';
import type { SyncAuditSink } from './audit-sink.js';
import { destroyDeviceKey, storeDeviceKey } from './device-key.js';
import { openHubConnection } from './hub-connection.js';
import { isSpkiPin } from './spki-pin.js';
import { resolveSyncPolicy, type SyncPolicy } from './sync-policy.js';
import { SyncError } from './sync-error.js';
import { wardLocationId } from './ward-scope.js';

export interface EnrollOptions {
  readonly dataDir: string;
  readonly custodian: KeyCustodian;
  readonly logger: Logger;
  readonly audit: SyncAuditSink;
  /** `https://host:port` of the hub. */
  readonly hubUrl: string;
  readonly enrollmentToken: string;
  /** The hub certificate's SPKI pin, as the hub printed it. */
  readonly pin: string;
  readonly policy?: Partial<SyncPolicy>;
  readonly now?: () => Date;
}

/** `https://host:port` (no path, no query), or an INVALID_ENROLLMENT error. */
export function normalizeHubUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SyncError('INVALID_ENROLLMENT', 'The hub address is not a URL. Give it as https://host:port.');
  }
  if (url.protocol !== 'https:')
    throw new SyncError('INVALID_ENROLLMENT', 'The hub address must start with https:// (the hub serves HTTPS only).');
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '' || (url.pathname !== '/' && url.pathname !== '')) {
    throw new SyncError('INVALID_ENROLLMENT', 'Give the hub address as https://host:port, without a path or query.');
  }
  return url.origin;
}

function checkInputs(options: EnrollOptions): string {
  const hubUrl = normalizeHubUrl(options.hubUrl);
  if (!isSpkiPin(options.pin)) {
    throw new SyncError(
      'INVALID_ENROLLMENT',
      "The pin must be the hub certificate's SPKI SHA-256 hash in base64 (44 characters), as the hub prints it at start.",
    );
  }
  if (options.enrollmentToken.trim() === '' || options.enrollmentToken.length > 512) {
    throw new SyncError(
      'INVALID_ENROLLMENT',
      'The enrollment token is missing or malformed. Ask IT for a new one (wardline-hub token --ward W).',
    );
  }
  return hubUrl;
}

async function registerWithHub(options: EnrollOptions, hubUrl: string, publicKeyJwk: unknown, policy: SyncPolicy): Promise<EnrollResponse> {
  const connection = openHubConnection({
    pins: [options.pin],
    policy,
    onPinMismatch: (host, presentedPin) => options.audit.record({ kind: 'pin-mismatch', host, presentedPin }),
  });
  try {
    const response = await connection.send({
      method: 'POST',
      url: `${hubUrl}/auth/enroll`,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ enrollmentToken: options.enrollmentToken, publicKeyJwk }),
    });
    let body: unknown = null;
    try {
      body = JSON.parse(response.body.toString('utf8'));
    } catch {
      body = null;
    }
    if (response.status !== 201) {
      const code = hubErrorCode(body);
      throw new SyncError(
        'ENROLLMENT_REFUSED',
        code === 'ENROLLMENT_TOKEN_INVALID'
          ? 'The hub refused the enrollment token (unknown, expired or already used). Ask IT for a new one (wardline-hub token --ward W).'
          : `The hub refused the enrollment (${response.status}${code ? ` ${code}` : ''}). Ask IT to check the hub.`,
        { status: response.status, ...(code ? { hubCode: code } : {}) },
      );
    }
    const parsed = enrollResponseSchema.safeParse(body);
    if (!parsed.success) {
      throw new SyncError(
        'HUB_ANSWER_INVALID',
        'The hub answered the enrollment in a form this workstation cannot read. Ask IT to check that hub and workstation versions match.',
      );
    }
    return parsed.data;
  } finally {
    connection.close();
  }
}

/** Enrolls this workstation; returns what was recorded. Refuses when it is enrolled already. */
export async function enrollWorkstation(options: EnrollOptions): Promise<EnrollmentRecord> {
  const hubUrl = checkInputs(options);
  const policy = resolveSyncPolicy(options.policy);
  const now = options.now ?? (() => new Date());
  const { dataDir, custodian, logger } = options;
  const created = !vaultExists(dataDir);
  const vault: Vault = created ? await createVault({ dataDir, custodian, logger }) : await openVault({ dataDir, custodian, logger });
  let keyStored = false;
  try {
    if (vault.sync.enrollment() !== null) {
      throw new SyncError('ALREADY_ENROLLED', 'This workstation is enrolled already. To enroll it again, wipe it first (wardline wipe).');
    }
    const keys = await generateDeviceKeyPair();
    await storeDeviceKey(custodian, dataDir, keys.privateKey);
    keyStored = true;
    const enrolled = await registerWithHub(options, hubUrl, keys.publicKeyJwk, policy);
    const record: EnrollmentRecord = {
      hubUrl,
      pin: options.pin,
      clientId: enrolled.clientId,
      ward: enrolled.ward,
      tokenUrl: enrolled.tokenUrl,
      enrolledAt: now().toISOString(),
    };
    vault.transaction(
      () => {
        vault.sync.setEnrollment(record);
        vault.setWard(wardLocationId(enrolled.ward));
      },
      { durable: true },
    );
    options.audit.record({ kind: 'enrollment', clientId: record.clientId, ward: record.ward, hubUrl });
    logger.info({ event: 'sync.enrolled', clientId: record.clientId, ward: record.ward }, 'workstation enrolled');
    return record;
  } catch (error) {
    vault.close();
    if (keyStored) await destroyDeviceKey(custodian, dataDir).catch(() => undefined);
    if (created) await wipeVault({ dataDir, custodian, logger }).catch(() => undefined);
    throw error;
  } finally {
    if (vault.isOpen) vault.close();
  }
}
