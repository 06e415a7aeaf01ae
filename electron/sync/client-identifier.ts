// The identifier a workstation puts on what it creates: system CLIENT_ID_SYSTEM, value the client
// UUID that is also the resource's id in the vault until the hub has it. Creates are sent with
// `ifNoneExist=identifier={system}|{uuid}`, so a retry never makes a second copy.
import { CLIENT_ID_SYSTEM, type Resource } from '../../shared/fhir/index.js';

export { CLIENT_ID_SYSTEM };

/** The client UUID a resource was created under on some workstation, or undefined. */
export function clientIdOf(resource: Resource): string | undefined {
  const identifiers = (resource as { identifier?: unknown }).identifier;
  if (!Array.isArray(identifiers)) return undefined;
  for (const identifier of identifiers as { system?: unknown; value?: unknown }[]) {
    if (identifier?.system === CLIENT_ID_SYSTEM && typeof identifier.value === 'string') return identifier.value;
  }
  return undefined;
}

export function ifNoneExistFor(clientId: string): string {
  return `identifier=${CLIENT_ID_SYSTEM}|${clientId}`;
}
