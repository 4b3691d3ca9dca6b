/**
 * The port through which the rollout engine reads what viewers got from each arm: one distribution's figures over
 * a time window. The engine asks for the primary's and the staging distribution's window over the same interval
 * and hands both to the judge (judge.ts). Whatever stores the figures (the per-minute metrics Durable Object)
 * adapts to this; src/store/metrics-source.ts is where the ControlPlane gets its implementation.
 */

/**
 * Origin latency as a fixed-bucket histogram: `counts[i]` samples in (boundsMs[i-1], boundsMs[i]] (the first bucket
 * starts at 0), and one more count for everything above the last bound, so counts.length === boundsMs.length + 1.
 * Histograms over minutes add up bucket by bucket; percentiles do not, which is why the port carries buckets.
 */
export interface LatencyHistogram {
  boundsMs: readonly number[];
  counts: readonly number[];
}

/** One distribution's viewer requests over a window. */
export interface ArmWindow {
  /** Viewer requests served by this distribution. */
  requests: number;
  /** Of those, answered with a 5xx status (origin errors and the edge's own 502/504 alike). */
  status5xx: number;
  /** Origin latency of the requests that went to the origin; null when none was recorded. */
  latency: LatencyHistogram | null;
}

export interface MetricsSource {
  /**
   * The figures of `distributionId` for requests in [fromMs, toMs) (Unix milliseconds), or null when the store has
   * nothing for it (which the judge treats as no data: inconclusive).
   */
  window(distributionId: string, fromMs: number, toMs: number): Promise<ArmWindow | null>;
}
