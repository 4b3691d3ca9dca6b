/**
 * The batches an isolate has taken from its tally but the metrics store has not yet acknowledged. Each batch keeps
 * its id until the store accepts it, so a retry after an unclear failure (the store applied it, the answer was
 * lost) is recognised by the store and not counted twice. The outbox is bounded: past `limit` batches the oldest
 * are evicted, and the caller keeps their request counts as `dropped` (so a long outage of the store costs
 * detail, never the count). Pure.
 */
import type { MinuteRow } from "./counters.js";

export interface Batch {
  /** Unique per isolate and flush: "<isolate tag>-<sequence>". */
  id: string;
  /** The primary distribution's id: which store shard the batch goes to. */
  shard: string;
  rows: MinuteRow[];
}

export interface PendingBatch extends Batch {
  /** Failed sends so far. */
  failures: number;
  /** A send is under way. */
  inFlight: boolean;
}

export class Outbox {
  private batches: PendingBatch[] = [];

  constructor(private readonly limit: number) {}

  add(batch: Batch): void {
    this.batches.push({ ...batch, failures: 0, inFlight: false });
  }

  get size(): number {
    return this.batches.length;
  }

  /** The batches to send now (not already being sent), marked in flight. */
  startSending(): PendingBatch[] {
    const ready = this.batches.filter((b) => !b.inFlight);
    for (const b of ready) b.inFlight = true;
    return ready;
  }

  /** The store accepted the batch (or already had it): it leaves the outbox. */
  acknowledge(id: string): void {
    this.batches = this.batches.filter((b) => b.id !== id);
  }

  /** The send failed: the batch stays for the next flush. */
  failed(id: string): void {
    const b = this.batches.find((x) => x.id === id);
    if (b !== undefined) {
      b.failures++;
      b.inFlight = false;
    }
  }

  /** Removes and returns the oldest batches beyond the limit (none in flight), for the caller to count as dropped. */
  evict(): Batch[] {
    const evicted: Batch[] = [];
    while (this.batches.length > this.limit) {
      const index = this.batches.findIndex((b) => !b.inFlight);
      if (index < 0) break;
      const [b] = this.batches.splice(index, 1);
      if (b !== undefined) evicted.push({ id: b.id, shard: b.shard, rows: b.rows });
    }
    return evicted;
  }
}
