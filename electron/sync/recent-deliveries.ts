// What the hub took from this workstation's outbox lately, so the chart can say "Delivered" where
// it said "Pending upload". Held in the host's memory only (the vault's own copy of each resource
// is the durable record): a restart forgets it, and a delivered entry then reads as ordinary chart
// data. Bounded by count and age.
import type { OutboxItem } from '../vault/index.js';

/** One outbox entry the hub acknowledged. */
export interface DeliveredEntry {
  readonly entryId: string;
  readonly patientId: string;
  readonly items: readonly OutboxItem[];
  /** When it was recorded here (the outbox entry's createdAt). */
  readonly recordedAt: string;
  /** When the hub's acknowledgement reached this workstation. */
  readonly deliveredAt: string;
}

/** How many deliveries are remembered, and for how long. */
export const RECENT_DELIVERIES_MAX = 500;
export const RECENT_DELIVERIES_MAX_AGE_MS = 12 * 60 * 60 * 1000;

export class RecentDeliveries {
  readonly #entries: DeliveredEntry[] = [];

  record(entries: readonly DeliveredEntry[]): void {
    this.#entries.push(...entries);
    if (this.#entries.length > RECENT_DELIVERIES_MAX) this.#entries.splice(0, this.#entries.length - RECENT_DELIVERIES_MAX);
  }

  /** The patient's deliveries younger than the age limit at `now`, newest first. */
  of(patientId: string, now: Date): DeliveredEntry[] {
    const oldest = now.getTime() - RECENT_DELIVERIES_MAX_AGE_MS;
    return this.#entries.filter((entry) => entry.patientId === patientId && Date.parse(entry.deliveredAt) >= oldest).reverse();
  }

  /** Forgets everything (the vault was wiped or replaced). */
  clear(): void {
    this.#entries.length = 0;
  }
}
