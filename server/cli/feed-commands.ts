// `wardline-hub feed add|revoke|list`: the ADT feeds (integration principals) that may send HL7 v2
// over MLLP. `add` prints the feed's secret once (the interface engine puts it in MSH-8); the hub
// keeps only its hash. `add` and `revoke` are recorded in the hub's trail (audit_hub_actions) in the
// transaction that makes them: the feed's name and sender, never its secret.
import { addFeed, listFeeds, revokeFeed } from '../integration/index.js';
import { recordAdminAction, type CliIo } from './admin-commands.js';
import { HubCliError } from './hub-cli-error.js';
import { openStore, type StoreOptions } from './hub-options.js';

export async function feedAddCommand(
  options: StoreOptions & { name: string; application: string; facility: string },
  io: CliIo,
): Promise<void> {
  const { db } = await openStore(options);
  try {
    const now = new Date();
    const { secret } = await db.transaction(async (tx) => {
      const added = await addFeed(tx, options, now);
      await recordAdminAction(tx, 'feed-add', now, { feed: options.name, application: options.application, facility: options.facility });
      return added;
    });
    io.print(`ADT feed "${options.name}" may send as ${options.application} at ${options.facility} (MSH-3, MSH-4).`);
    io.print(`Its secret (put it in MSH-8 of every message; shown only now): ${secret}`);
  } finally {
    await db.close();
  }
}

export async function feedRevokeCommand(options: StoreOptions & { name: string }, io: CliIo): Promise<void> {
  const { db } = await openStore(options);
  try {
    const now = new Date();
    const revoked = await db.transaction(async (tx) => {
      const done = await revokeFeed(tx, options.name, now);
      if (done) await recordAdminAction(tx, 'feed-revoke', now, { feed: options.name });
      return done;
    });
    if (!revoked) {
      throw new HubCliError('USAGE', `No active ADT feed is named ${options.name} (see wardline-hub feed list).`);
    }
    io.print(`ADT feed "${options.name}" revoked; its next message is refused.`);
  } finally {
    await db.close();
  }
}

export async function feedListCommand(options: StoreOptions, io: CliIo): Promise<void> {
  const { db } = await openStore(options);
  try {
    const feeds = await listFeeds(db);
    if (feeds.length === 0) io.print('No ADT feeds are registered.');
    for (const feed of feeds) {
      io.print(
        `${feed.name}  ${feed.application} at ${feed.facility}  added ${feed.createdAt}  ${feed.revokedAt ? `revoked ${feed.revokedAt}` : 'active'}`,
      );
    }
  } finally {
    await db.close();
  }
}
