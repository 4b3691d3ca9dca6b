/**
 * What the metrics API reports, from the store's per-minute rows: the window (whole minutes), each arm's totals
 * over it and its per-minute series, and the figures derived from counters (latency percentiles from the
 * histogram, the error rate). Pure: `now` is passed in.
 */
import type { Arm } from "../../model/edge-config.js";
import { fail, invalid, ok, type Result } from "../result.js";
import { type Counters, type MinuteRow, mergeRows, STATUS_CLASSES, type StatusClass, sumCounters } from "./counters.js";
import { percentile } from "./histogram.js";
import { minuteOf } from "./tally.js";

export const DEFAULT_WINDOW_S = 300;
export const MIN_WINDOW_S = 60;

/**
 * The minutes a window covers: every minute that overlaps the last `seconds` seconds, the current one included,
 * so the report spans at least `seconds` (and less than `seconds` + 60) even just after a minute has begun.
 */
export interface MinuteRange {
  fromMinute: number;
  toMinute: number;
}

export function windowOf(nowMs: number, seconds: number): MinuteRange {
  return { fromMinute: minuteOf(nowMs - seconds * 1000), toMinute: minuteOf(nowMs) };
}

/** `?window=`: whole seconds from MIN_WINDOW_S to `maxS` (the retention); absent = DEFAULT_WINDOW_S. */
export function parseWindow(raw: string | undefined, maxS: number): Result<number> {
  if (raw === undefined || raw === "") return ok(Math.min(DEFAULT_WINDOW_S, maxS));
  if (!/^\d+$/.test(raw)) return invalid(`window must be a whole number of seconds, not "${raw}".`);
  const seconds = Number(raw);
  if (seconds < MIN_WINDOW_S || seconds > maxS) {
    return fail({
      tag: "invalid-argument",
      message: `window must be between ${MIN_WINDOW_S} and ${maxS} seconds (the retention), not ${raw}.`,
    });
  }
  return ok(seconds);
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
}

/** The figures of one arm (or one minute of it). */
export interface Summary {
  requests: number;
  status: Record<StatusClass, number>;
  edgeErrors: number;
  cacheHits: number;
  cacheMisses: number;
  bytes: number;
  /** From the histogram (see histogram.ts for the error bound); null when the origin answered no request. */
  latencyMs: LatencySummary | null;
  /** 5xx / requests; 0 without requests. */
  errorRate: number;
  dropped: number;
}

const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

export function summarise(c: Counters): Summary {
  const status = {} as Record<StatusClass, number>;
  STATUS_CLASSES.forEach((name, i) => {
    status[name] = c.status[i] ?? 0;
  });
  const p50 = percentile(c.latency, 0.5);
  const p90 = percentile(c.latency, 0.9);
  const p99 = percentile(c.latency, 0.99);
  return {
    requests: c.requests,
    status,
    edgeErrors: c.edgeErrors,
    cacheHits: c.cacheHits,
    cacheMisses: c.cacheMisses,
    bytes: c.bytes,
    latencyMs:
      p50 === null || p90 === null || p99 === null
        ? null
        : { p50: round(p50, 1), p90: round(p90, 1), p99: round(p99, 1) },
    errorRate: c.requests === 0 ? 0 : round((c.status[4] ?? 0) / c.requests, 6),
    dropped: c.dropped,
  };
}

export interface ArmReport extends Summary {
  distributionId: string;
  /** Minutes with traffic, oldest first; minutes without any are left out. */
  series: (Summary & { minute: number })[];
}

/**
 * One arm's report over `range` from a shard's rows: the rows of `distributionId` serving as `arm`, totalled and
 * per minute. null when the arm had no traffic in the window (nothing counted, nothing dropped).
 */
export function armReport(
  rows: readonly MinuteRow[],
  distributionId: string,
  arm: Arm,
  range: MinuteRange,
): ArmReport | null {
  const mine = mergeRows(
    rows.filter(
      (r) =>
        r.distributionId === distributionId &&
        r.arm === arm &&
        r.minute >= range.fromMinute &&
        r.minute <= range.toMinute &&
        r.requests + r.dropped > 0,
    ),
  );
  if (mine.length === 0) return null;
  const series = mine.map((row) => ({ minute: row.minute, ...summarise(row) }));
  return { distributionId, ...summarise(sumCounters(mine)), series };
}
