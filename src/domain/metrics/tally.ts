/**
 * An isolate's running count of its viewer traffic, per (shard, serving distribution, arm, minute): the hot path
 * asks for the counters of the request's key (a Map lookup, or none when the key repeats) and adds to them;
 * take() hands everything counted so far over for a flush and starts again from zero, so each count leaves the
 * isolate exactly once. The shard is the primary distribution's id (the metrics store keeps one shard per
 * primary). No clock: the caller passes the minute. Pure apart from its own state.
 */
import type { Arm } from "../../model/edge-config.js";
import { type Counters, emptyCounters, type MinuteRow, mergeRows, statusIndex } from "./counters.js";
import { bucketOf } from "./histogram.js";

export const MINUTE_MS = 60_000;

/** Whole minutes since the epoch. */
export const minuteOf = (ms: number): number => Math.floor(ms / MINUTE_MS);

/** What the cache did for a response: not consulted, answered (hit), or consulted and missed. */
export const CACHE_NONE = 0;
export const CACHE_HIT = 1;
export const CACHE_MISS = 2;
export type CacheOutcome = typeof CACHE_NONE | typeof CACHE_HIT | typeof CACHE_MISS;

/** The counters of one key, with the key. One object per key per minute (or per flush), never per request. */
interface Slot extends MinuteRow {
  shard: string;
}

/**
 * Counts one response into `c`. `bytes` < 0: unknown length; `latencyMs` < 0: the origin was not asked (a cache
 * hit, a redirect, an error the edge made itself).
 */
export function countResponse(
  c: Counters,
  status: number,
  cache: CacheOutcome,
  edgeError: boolean,
  bytes: number,
  latencyMs: number,
): void {
  c.requests++;
  const s = statusIndex(status);
  c.status[s] = (c.status[s] ?? 0) + 1;
  if (edgeError) c.edgeErrors++;
  if (cache === CACHE_HIT) c.cacheHits++;
  else if (cache === CACHE_MISS) c.cacheMisses++;
  if (bytes > 0) c.bytes += bytes;
  if (latencyMs >= 0) {
    const b = bucketOf(latencyMs);
    c.latency[b] = (c.latency[b] ?? 0) + 1;
    c.latencySumMs += latencyMs;
  }
}

export class Tally {
  private minute = Number.NaN;
  /** This minute's slots by distribution id (the usual case: one shard per distribution). */
  private current = new Map<string, Slot>();
  /** Slots of earlier minutes, and of keys that share a distribution id with another shard. */
  private others: Slot[] = [];

  /** The counters of a key in `minute`, created at zero on first use. */
  slot(minute: number, shard: string, distributionId: string, arm: Arm): Counters {
    if (minute !== this.minute) this.roll(minute);
    const s = this.current.get(distributionId);
    if (s !== undefined && s.shard === shard && s.arm === arm) return s;
    return this.slowSlot(minute, shard, distributionId, arm);
  }

  private roll(minute: number): void {
    for (const s of this.current.values()) this.others.push(s);
    this.current = new Map();
    this.minute = minute;
  }

  /** First use of a key this minute, or a staging distribution that serves two primaries (two shards). */
  private slowSlot(minute: number, shard: string, distributionId: string, arm: Arm): Slot {
    const s: Slot = { shard, minute, distributionId, arm, ...emptyCounters() };
    const known = this.current.get(distributionId);
    if (known === undefined) this.current.set(distributionId, s);
    else {
      const again = this.others.find(
        (o) => o.minute === minute && o.shard === shard && o.distributionId === distributionId && o.arm === arm,
      );
      if (again !== undefined) return again;
      this.others.push(s);
    }
    return s;
  }

  /** Whether anything was counted since the last take(). */
  get empty(): boolean {
    return this.current.size === 0 && this.others.length === 0;
  }

  /** Everything counted so far, per shard, as merged rows; the tally starts again from zero. */
  take(): Map<string, MinuteRow[]> {
    const all = [...this.others, ...this.current.values()];
    this.others = [];
    this.current = new Map();
    this.minute = Number.NaN;
    const byShard = new Map<string, MinuteRow[]>();
    for (const s of all) {
      const list = byShard.get(s.shard);
      const { shard: _shard, ...row } = s;
      if (list === undefined) byShard.set(s.shard, [row]);
      else list.push(row);
    }
    for (const [shard, rows] of byShard) byShard.set(shard, mergeRows(rows));
    return byShard;
  }
}
