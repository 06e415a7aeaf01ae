// What the audit room needs of the hub, over this engine's pinned, device-authenticated client:
// batch Bundles of AuditEvents (statuses only), signed checkpoints, and the device key that signs
// them. It fits the audit room's AuditTransport; the sync room never reads the entries themselves.
import type { CryptoKey } from 'jose';
import type { HubAnswer, HubClient } from './hub-client.js';

export interface HubAuditLink {
  /** The hub's id for this workstation (the enrollment's client id). */
  readonly deviceId: string;
  /** POST /fhir with a batch Bundle (its JSON text, sent as it is), as this device. Rejects when the hub cannot be reached. */
  postBundle(bundleJson: string): Promise<HubAnswer>;
  /** POST /audit/checkpoint with { jws }, as this device. */
  postCheckpoint(jws: string): Promise<HubAnswer>;
  /** The device's private key (from the OS keystore), which signs the checkpoints. */
  deviceKey(): Promise<CryptoKey>;
}

export function hubAuditLink(client: HubClient, deviceId: string, deviceKey: () => Promise<CryptoKey>): HubAuditLink {
  return {
    deviceId,
    postBundle: (bundleJson) => client.postBatchAnswer(bundleJson),
    postCheckpoint: (jws) => client.postJsonAnswer('/audit/checkpoint', { jws }),
    deviceKey,
  };
}
