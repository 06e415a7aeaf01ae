// What one ward's mirror works with: the database, the upstream client, the configuration, the
// clock, the log and the leader lease; and what the upstream's CapabilityStatement offers.
import type { Logger } from 'pino';
import type { SqlDatabase } from '../../storage/index.js';
import type { MirrorLease } from './mirror-lease.js';
import type { PageReader } from './page-reader.js';
import type { UpstreamClient } from './upstream-client.js';
import type { UpstreamConfig } from './upstream-config.js';
import type { UpstreamPage } from './upstream-page.js';

export interface UpstreamCapabilities {
  /** Patient/$everything is offered. */
  readonly everything: boolean;
  /** Types the upstream can search (all MIRRORED_TYPES when it does not say). */
  readonly searchable: ReadonlySet<string>;
}

export interface ChartMirrorDeps {
  readonly db: SqlDatabase;
  readonly client: UpstreamClient;
  readonly config: UpstreamConfig;
  readonly clock: () => Date;
  readonly logger: Logger;
  /** The leader lease: every write of the mirror renews it in its transaction, or rolls back. */
  readonly lease: MirrorLease;
  /** Reads the chart searches' pages (on the page worker, page-reader.ts). */
  readonly pages: PageReader<UpstreamPage>;
}
