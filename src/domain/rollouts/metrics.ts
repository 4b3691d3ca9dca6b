/**
 * The port through which the rollout engine reads what viewers got from each arm of a continuous deployment: the
 * primary's and the staging distribution's figures over one window, read together, which the judge (judge.ts)
 * compares. Whatever holds the figures adapts to this; src/store/metrics-source.ts is where the ControlPlane gets
 * its implementation (the MetricsStore Durable Object of the primary).
 *
 * A window is half-open, [fromMs, toMs), and a source dates each request by a clock of its own choosing (when it was
 * served, or when its count reached the store) as long as consecutive windows partition the traffic: every request
 * falls in exactly one window, once that window ends at least `settleMs` before now. The engine's windows are
 * contiguous (the next starts where a conclusive one ended), so no request is judged twice or left out.
 */

/**
 * Origin latency as a fixed-bucket histogram: `counts[i]` samples in (boundsMs[i-1], boundsMs[i]] (the first bucket
 * starts at 0), and one more count for everything above the last bound, so counts.length === boundsMs.length + 1.
 * Histograms add up bucket by bucket (over minutes, batches, isolates); percentiles do not, which is why the port
 * carries buckets.
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

/** Both arms over the same window; an arm is null when the source has nothing for it (no data: inconclusive). */
export interface ArmsWindow {
  primary: ArmWindow | null;
  staging: ArmWindow | null;
}

export interface MetricsSource {
  /**
   * How far before now a window must end for the source to hold everything in it (milliseconds): the engine ends
   * its windows at now - settleMs.
   */
  readonly settleMs: number;
  /**
   * The figures of the primary `primaryId` and of its staging distribution `stagingId` (as it served the primary's
   * viewers) for [fromMs, toMs) (Unix milliseconds), read together so both arms cover the same traffic.
   */
  window(primaryId: string, stagingId: string, fromMs: number, toMs: number): Promise<ArmsWindow>;
}
