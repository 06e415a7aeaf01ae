// The position of a paged walk, carried in the `next` link as `_cursor` (base64url JSON). It is
// only a position: a tampered cursor moves the walk, it cannot widen what the caller may see.
// `mark` is the watermark stamp of the walk's first page: every page reports it as
// Bundle.meta.lastUpdated, so a client that checkpoints after the last page misses no write.
import { z } from 'zod';
import { FhirError } from './fhir-error.js';

const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const searchCursor = z.object({
  k: z.literal('search'),
  id: z.string().regex(ID),
  at: z.number().int().optional(),
  mark: z.number().int().nonnegative(),
});
const historyCursor = z.object({
  k: z.literal('history'),
  before: z.number().int(),
  max: z.number().int().nonnegative(),
  mark: z.number().int().nonnegative(),
});
const everythingCursor = z.object({
  k: z.literal('everything'),
  type: z.string().regex(/^[A-Z][A-Za-z]{1,63}$/),
  id: z.string().regex(ID),
  mark: z.number().int().nonnegative(),
});
const cursorSchema = z.discriminatedUnion('k', [searchCursor, historyCursor, everythingCursor]);

export type PagingCursor = z.infer<typeof cursorSchema>;

export function encodeCursor(cursor: PagingCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor<K extends PagingCursor['k']>(text: string, kind: K): Extract<PagingCursor, { k: K }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const result = cursorSchema.safeParse(parsed);
  if (!result.success || result.data.k !== kind) {
    throw new FhirError(
      400,
      'INVALID_SEARCH',
      'invalid',
      'The paging cursor is not valid for this request; start again from the first page.',
      '_cursor',
    );
  }
  return result.data as Extract<PagingCursor, { k: K }>;
}
