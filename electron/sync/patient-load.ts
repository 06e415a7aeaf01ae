// The initial load of a patient new to the ward: `Patient/{id}/$everything?start=…` (the cache
// window: cache-window.ts; what an older hub sends before it is left out here), paged with next links,
// each page written whole together with the position of the walk (several pages, also of other
// patients, may share a transaction: see write-batcher.ts), so a load interrupted by a crash
// resumes at the page after the last one written (no duplicate, no gap). Each page is read from its
// text one entry at a time as it arrives (readBundleText): every resource is parsed, validated and
// turned into its row (prepareVersion) with the hub's JSON text as the stored JSON (kept as its bytes
// in the page until the row is written), and its parsed objects are dropped before the next entry's.
// What waits for the shared transaction is rows. With a page reader (the initial load: sync-cycle.ts),
// that reading runs on the reader's thread and this one only decides the scope (page-prepared.ts);
// should the reader fail, the page is asked again and read here, and so are the rest
// (page-reader-fallback.ts).
import { readBundleText } from './bundle-reading.js';
import { everythingStartParam } from './cache-window.js';
import { preparedVersionsOf } from './page-prepared.js';
import type { LoadPageReader } from './page-reader-fallback.js';
import { walkPages } from './paged-walk.js';
import { applyOptionsFor, keepFactsInScope, keepInScope, type PullContext } from './pull-context.js';
import { isSyncError } from './sync-error.js';
import { addCounts, applyPrepared, prepareVersion, type PreparedVersion } from './version-apply.js';
import type { WriteBatcher } from './write-batcher.js';

export type LoadOutcome = 'loaded' | 'gone';

interface WaitingPage {
  readonly prepared: () => readonly PreparedVersion[];
  readonly release?: () => void;
  readonly next: string | null;
  readonly size: number;
}

/**
 * Loads (or resumes loading) one patient; 'gone' when the hub no longer lets this ward see them.
 * Pages go through `batcher`: the caller flushes it once the loads are over.
 */
export async function loadPatient(
  context: PullContext,
  patientId: string,
  asOf: string,
  batcher: WriteBatcher,
  /** Reads the pages on its own thread while it works; without one, or once it failed, they are read here. */
  pageReader: LoadPageReader | null = null,
): Promise<LoadOutcome> {
  const { vault, client, policy } = context;
  const state = vault.sync.patient(patientId);
  const windowStart = context.windowStarts.get(patientId);
  const start = windowStart === undefined ? '' : `&start=${everythingStartParam(windowStart)}`;
  const firstUrl =
    state?.loadState === 'loading' && state.nextUrl !== null
      ? state.nextUrl
      : `/fhir/Patient/${encodeURIComponent(patientId)}/$everything?_count=${policy.pageSize}${start}`;
  const keep = keepInScope(context);
  try {
    const prepare = { vault, keep };
    const keepFacts = keepFactsInScope(context);
    // A page as it waits for its transaction: the rows (read here), or the page's columns and bytes
    // (read by the page reader; made into rows inside the transaction, and the bytes given back after).
    const readHere = (url: string): Promise<WaitingPage> =>
      client.getParsed(url, (body) => {
        const page = readBundleText(body, 'searchset', (version, resourceJson) => prepareVersion(prepare, version, resourceJson));
        return { prepared: () => page.items, next: page.next, size: page.size };
      });
    const fetchPage = async (url: string): Promise<WaitingPage> => {
      const reader = pageReader?.reader ?? null;
      if (reader === null) return readHere(url);
      try {
        return await client.getParsed(url, async (body) => {
          const page = await reader.read(body);
          const { next, count } = page.columns;
          return { prepared: () => preparedVersionsOf(page, keepFacts), release: page.release, next, size: count };
        });
      } catch (error) {
        // The reader failed with this page on it (its bytes are gone with it, none of it written): asked again, read here.
        if (pageReader?.fellBack(error) === true) return readHere(url);
        throw error;
      }
    };
    await walkPages(
      fetchPage,
      firstUrl,
      (pages) => {
        for (const { prepared, release, next, size } of pages) {
          batcher.add(
            size,
            () => {
              addCounts(context.counts, applyPrepared(applyOptionsFor(context, keep), prepared()));
              if (next !== null) vault.sync.setPatientLoading(patientId, next);
              else vault.sync.setPatientLoaded(patientId, asOf);
            },
            release,
          );
        }
      },
      0,
    );
    return 'loaded';
  } catch (error) {
    // Discharged, moved or deleted between the census and the load: the purge takes care of it.
    if (isSyncError(error, 'REQUEST_REFUSED') && [403, 404, 410].includes(error.status ?? 0)) {
      context.logger.info({ event: 'sync.load_skipped', patientId, status: error.status }, 'patient no longer readable; load skipped');
      return 'gone';
    }
    throw error;
  }
}
