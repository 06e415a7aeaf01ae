// The gate of the resource store without the database: a resource validated (shared/fhir's
// validateResource, and an id) and turned into the row it is stored as. Pure, so that the sync's
// page reader thread (electron/sync/sync-page-worker.ts) can load it alone, without the driver or
// the key's custody: a row it made crosses back to the writing thread and becomes a
// PreparedResource there (preparedOf), as `ResourceStore.prepare` would have made it.
import { FhirValidationError, validateResource, type Resource, type SupportedResourceType } from '../../shared/fhir/index.js';
import { resourceRow, type ResourceRow } from './resource-columns.js';
import { VaultError } from './vault-error.js';

declare const preparedBrand: unique symbol;

/**
 * A resource that has passed validateResource, with the row it is stored as (its JSON and indexed
 * columns): made only by `prepare` (or from a row `validatedRow` made, on another thread), written
 * by `upsertPrepared`. Lets a caller validate as data arrives, keep only the compact row, and write
 * later in its own transaction.
 */
export interface PreparedResource {
  readonly [preparedBrand]: true;
  readonly type: SupportedResourceType;
  readonly id: string;
}

/**
 * Validates `input` and builds its row; throws VaultError INVALID_RESOURCE (its path, never a
 * value). `position` names the item of a batch; `json` is the text `input` was parsed from, or its
 * UTF-8 bytes (stored as it is).
 */
export function validated(input: unknown, position?: number, json?: string | Buffer): { resource: Resource; row: ResourceRow } {
  const where = position === undefined ? '' : ` (item ${position + 1} of the batch)`;
  let resource: Resource;
  try {
    resource = validateResource(input);
  } catch (error) {
    if (error instanceof FhirValidationError) {
      throw new VaultError(
        'INVALID_RESOURCE',
        `A resource${where} was rejected and nothing was written. Invalid field ${error.message}. Ask IT to report this to the hub's administrator.`,
        { cause: error, path: error.path },
      );
    }
    throw error;
  }
  if (typeof resource.id !== 'string' || resource.id.length === 0) {
    throw new VaultError(
      'INVALID_RESOURCE',
      `A ${resource.resourceType} resource${where} was rejected: field "id" is missing (the chart cache only holds resources the hub has stored). Nothing was written.`,
      { path: 'id' },
    );
  }
  return { resource, row: resourceRow(resource as Resource & { id: string }, json) };
}

/**
 * The row `ResourceStore.prepare` would build for `input` (parsed from `json`), with no database; or,
 * where it would throw INVALID_RESOURCE, the path validation refused (never a value).
 */
export function validatedRow(input: unknown, json?: string | Buffer): { row: ResourceRow } | { invalidPath: string | null } {
  try {
    return { row: validated(input, undefined, json).row };
  } catch (error) {
    if (error instanceof VaultError && error.code === 'INVALID_RESOURCE') return { invalidPath: error.path ?? null };
    throw error;
  }
}

interface PreparedRow extends PreparedResource {
  readonly row: ResourceRow;
}

/** A row made by `validated`/`validatedRow` (here or on another thread) as a PreparedResource. */
export function preparedOf(row: ResourceRow): PreparedResource {
  return { type: row.type as SupportedResourceType, id: row.id, row } as unknown as PreparedRow;
}

export function rowOfPrepared(prepared: PreparedResource): ResourceRow {
  return (prepared as PreparedRow).row;
}
