// The test upstream (upstream-fhir-server.ts) in a process of its own, as an EHR is another machine:
// started by upstream-fhir-process.ts, driven over the IPC channel (load the seeded synthetic ward,
// register a SMART client, replay answers, report the engine's time and this process's CPU).
import { generateWard } from '../../shared/synthetic/index.js';
import type { Resource } from '@medplum/fhirtypes';
import { startUpstreamFhirServer } from './upstream-fhir-server.js';
import type { UpstreamChildReply, UpstreamChildRequest } from './upstream-fhir-process.js';

const upstream = await startUpstreamFhirServer();

function reply(message: UpstreamChildReply): void {
  process.send!(message);
}

async function handle(request: UpstreamChildRequest): Promise<unknown> {
  switch (request.op) {
    case 'loadWard': {
      const ward = generateWard(request.ward);
      for (const resource of ward.resources) await upstream.repo.updateResource(resource as Resource);
      return ward.resources.length;
    }
    case 'registerClient':
      upstream.registerClient(request.clientId, request.publicJwk);
      return null;
    case 'replayReads':
      upstream.replayReads(request.on);
      return null;
    case 'engineMs':
      return upstream.engineMs();
    case 'cpuMicros': {
      const used = process.cpuUsage();
      return used.user + used.system;
    }
    case 'stop':
      await upstream.stop();
      return null;
  }
}

process.on('message', (request: UpstreamChildRequest) => {
  handle(request).then(
    (result) => reply({ id: request.id, result }),
    (error: unknown) => reply({ id: request.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
reply({ id: 0, result: { baseUrl: upstream.baseUrl, caPem: upstream.caPem } });
// The bench stopped or died: nothing of this process outlives it.
process.on('disconnect', () => process.exit(0));
