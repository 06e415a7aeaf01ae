// Walking a paged answer with the next page already on its way while the current one is written:
// the hub prepares page n+1 while the workstation stores page n. Pages are handed to `write` whole
// and in order, one at a time or (with `maxResourcesPerGroup`) as consecutive pages that together
// stay within that many resources; the caller writes each group with the walk's position after it,
// so a crash resumes at a page boundary (no duplicate, no gap).

export interface WalkedPage {
  readonly next: string | null;
  readonly size: number;
}

export async function walkPages<P extends WalkedPage>(
  /** Fetches and reads one page (e.g. HubClient.getParsed with a Bundle reader). */
  fetchPage: (url: string) => Promise<P>,
  firstUrl: string,
  write: (pages: readonly P[]) => void,
  maxResourcesPerGroup: number,
  /** Awaited before the first write (e.g. the census the writes are scoped by). */
  ready?: Promise<unknown>,
): Promise<void> {
  let pending: Promise<P> = fetchPage(firstUrl);
  if (ready !== undefined) {
    // Fetched meanwhile; should `ready` fail, this outcome must not go unhandled.
    pending.catch(() => undefined);
    await ready;
  }
  let group: P[] = [];
  let groupSize = 0;
  for (;;) {
    const page = await pending;
    let nextRequest: Promise<P> | null = null;
    if (page.next !== null) {
      nextRequest = fetchPage(page.next);
      // Not awaited if writing fails; its outcome must not go unhandled.
      nextRequest.catch(() => undefined);
    }
    group.push(page);
    groupSize += page.size;
    // Another page like this one would not fit: write what we have.
    if (nextRequest === null || groupSize + page.size > maxResourcesPerGroup) {
      write(group);
      group = [];
      groupSize = 0;
    }
    if (nextRequest === null) return;
    pending = nextRequest;
  }
}
