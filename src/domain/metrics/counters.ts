/**
 * Per-arm traffic counters as plain data: what an isolate counts per (serving distribution, minute), what a flush
 * carries to the metrics store, what the store keeps per minute and in total, and what the API sums over a window.
 * Every figure is a sum, so merging is adding: associative and commutative, and a count taken once is added once.
 */
import type { Arm } from "../../model/edge-config.js";
import { addHistogram, emptyHistogram } from "./histogram.js";

export interface Counters {
  requests: number;
  /** Responses by status class: index 0 = 1xx ... 4 = 5xx. */
  status: number[];
  /** Responses the edge made itself: 502/504 for an unreachable or slow origin, 403 geo/method/https refusals. */
  edgeErrors: number;
  /** X-Cache: Hit (the edge's cache answered). */
  cacheHits: number;
  /** X-Cache: Miss (the cache was consulted, the origin answered). A behaviour that never caches counts neither. */
  cacheMisses: number;
  /** Sum of the responses' Content-Length, where the response declares one. */
  bytes: number;
  /** Edge-measured time to the origin's response headers: histogram counts (histogram.ts buckets). */
  latency: number[];
  latencySumMs: number;
  /** Requests counted at the edge whose details were lost (their flush kept failing): only their number is left. */
  dropped: number;
}

/** What a per-minute row is about. `minute` is whole minutes since the epoch (UTC). */
export interface RowKey {
  minute: number;
  distributionId: string;
  arm: Arm;
}

export type MinuteRow = RowKey & Counters;

export const STATUS_CLASSES = ["1xx", "2xx", "3xx", "4xx", "5xx"] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

/** 1xx..5xx as 0..4; anything outside (which a Response cannot carry) clamps to the nearest class. */
export function statusIndex(status: number): number {
  const i = ((status / 100) | 0) - 1;
  return i < 0 ? 0 : i > 4 ? 4 : i;
}

export const emptyCounters = (): Counters => ({
  requests: 0,
  status: [0, 0, 0, 0, 0],
  edgeErrors: 0,
  cacheHits: 0,
  cacheMisses: 0,
  bytes: 0,
  latency: emptyHistogram(),
  latencySumMs: 0,
  dropped: 0,
});

/** Adds `from` into `into`. */
export function addCounters(into: Counters, from: Counters): void {
  into.requests += from.requests;
  for (let i = 0; i < 5; i++) into.status[i] = (into.status[i] ?? 0) + (from.status[i] ?? 0);
  into.edgeErrors += from.edgeErrors;
  into.cacheHits += from.cacheHits;
  into.cacheMisses += from.cacheMisses;
  into.bytes += from.bytes;
  addHistogram(into.latency, from.latency);
  into.latencySumMs += from.latencySumMs;
  into.dropped += from.dropped;
}

/** The sum of `list` (a new object; the inputs are not changed). */
export function sumCounters(list: Iterable<Counters>): Counters {
  const total = emptyCounters();
  for (const c of list) addCounters(total, c);
  return total;
}

const rowKeyOf = (k: RowKey): string => `${k.minute}\u0000${k.distributionId}\u0000${k.arm}`;

/**
 * Rows merged by key (minute, distribution, arm): the same minute counted in several flushes, or by several
 * isolates, becomes one row. The order of the inputs does not matter.
 */
export function mergeRows(rows: Iterable<MinuteRow>): MinuteRow[] {
  const byKey = new Map<string, MinuteRow>();
  for (const row of rows) {
    const key = rowKeyOf(row);
    const known = byKey.get(key);
    if (known === undefined) {
      const copy: MinuteRow = {
        minute: row.minute,
        distributionId: row.distributionId,
        arm: row.arm,
        ...emptyCounters(),
      };
      addCounters(copy, row);
      byKey.set(key, copy);
    } else addCounters(known, row);
  }
  return [...byKey.values()].sort(
    (a, b) => a.minute - b.minute || a.distributionId.localeCompare(b.distributionId) || a.arm.localeCompare(b.arm),
  );
}

/** Cumulative counters of one distribution serving as one arm. */
export type ArmTotals = Counters & { distributionId: string; arm: Arm };

/** Totals merged by (distribution, arm): a staging distribution may appear in the shards of two primaries. */
export function mergeTotals(list: Iterable<ArmTotals>): ArmTotals[] {
  const rows = [...list].map((t): MinuteRow => ({ ...t, minute: 0 }));
  return mergeRows(rows).map(({ minute: _minute, ...t }) => t);
}
