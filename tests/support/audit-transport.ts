// The audit room's AuditTransport over a test hub's enrolled device (real TLS, real device token):
// what the host wires with the sync room's pinned client. Plus a transport whose answers are lost
// after the hub has acted on the request, and one for a hub that cannot be reached.
import type { AuditTransport, HubAnswer } from '../../electron/audit/index.js';
import type { TestDevice } from './hub-harness.js';

async function answerOf(response: Response): Promise<HubAnswer> {
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

export function deviceAuditTransport(device: TestDevice): AuditTransport {
  return {
    async postBundle(bundleJson) {
      return answerOf(await device.fetch('/fhir', { method: 'POST', headers: { prefer: 'return=minimal' }, body: bundleJson }));
    },
    async postCheckpoint(jws) {
      return answerOf(
        await device.fetch('/audit/checkpoint', { method: 'POST', headers: { 'content-type': 'application/json' }, body: { jws } }),
      );
    },
  };
}

/** Delivers every request, then loses the hub's answer (the connection drops on the way back). */
export function lostAnswerTransport(inner: AuditTransport): AuditTransport & { delivered: number } {
  const transport = {
    delivered: 0,
    async postBundle(bundleJson: string): Promise<HubAnswer> {
      await inner.postBundle(bundleJson);
      transport.delivered += 1;
      throw new Error('socket hang up');
    },
    postCheckpoint: (jws: string) => inner.postCheckpoint(jws),
  };
  return transport;
}

export const unreachableTransport: AuditTransport = {
  postBundle: async () => {
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8443'), { code: 'ECONNREFUSED' });
  },
  postCheckpoint: async () => {
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8443'), { code: 'ECONNREFUSED' });
  },
};
