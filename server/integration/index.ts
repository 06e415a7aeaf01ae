// The hub's integrations with the hospital's systems.
// - upstream/: the mirror of the EHR's charts from its FHIR R4 server and the documentation sent
//   back to it.
// - adt/: the HL7 v2 ADT feed over MLLP. Owns the MLLP listener (TLS with the hub's certificate, or
//   plain TCP when IT chooses), reading ADT messages with @medplum/core, the feeds as integration
//   principals (a secret per feed, sent in MSH-8), duplicate keys with their retention, the
//   per-patient event order, and what A01–A13 and A40 do to Patient, Encounter and Location
//   (written through server/fhir's feedTransaction, the store the FHIR API uses), with one stay
//   at a time per patient across the feed and the mirror (adt/one-stay.ts). Messages a sender
//   pipelines are applied as one group commit (each message all-or-nothing); ACKs go out, in order, only after
//   the transaction holding their message committed durably. See docs/INTEGRATION.md.
import { adtFeedTables } from './adt/migrations/0001-adt-feed.js';
import type { HubMigration } from '../storage/index.js';

export * from './upstream/index.js';
export const adtMigrations: readonly HubMigration[] = [adtFeedTables];
export { startMllpListener, DEFAULT_DUPLICATE_RETENTION_DAYS, type MllpListener, type MllpListenerOptions } from './adt/mllp-listener.js';
export { addFeed, revokeFeed, listFeeds, type FeedAccount } from './adt/feeds.js';
export { receiveAdtMessage, receiveAdtMessages, type ReceiveContext, type ReceiveOutcome } from './adt/receive-message.js';
export { AdtError, type AdtErrorCode } from './adt/adt-error.js';
export { VISIT_NUMBER_SYSTEM, visitNumberSystem } from './adt/adt-apply.js';
export { ADT_EVENTS, type AdtEvent } from './adt/adt-message.js';
