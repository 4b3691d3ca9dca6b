/**
 * The wiring point between the rollout engine and the metrics store: the ControlPlane asks metricsSourceFor(env)
 * for the MetricsSource (src/domain/rollouts/metrics.ts) each analysis reads. It reads the MetricsStore shard of
 * the rollout's primary (src/store/metrics-store.ts), which holds the primary's counts and, under the staging
 * distribution's own id, the counts of the staging distribution as it served that primary's viewers.
 *
 * Windows are in arrival time: what reached the store between `from` and `to`. Counts reach the store up to
 * METRICS_FLUSH_S after their requests, so a window by request time would have to end METRICS_FLUSH_S (plus a
 * margin for isolates whose flush runs late) before now or judge minutes still filling, and could never be finer
 * than the store's minutes. By arrival time every batch lands in exactly one window whatever its delay (a retried
 * batch included), windows may be as short as an analysis interval, and both arms are read in one turn of the
 * object, over the same batches (an isolate flushes both arms of a primary in one batch, applied in one
 * transaction). What a window holds was served up to METRICS_FLUSH_S before it (both arms alike). The engine ends
 * a window SETTLE_MS before now, which covers the ControlPlane's and the store's clocks disagreeing: a batch the
 * store stamps before `to` has been applied before the read.
 *
 * Without the METRICS binding there is no store: every analysis is inconclusive, and a rollout holds its first
 * timed step (it never ramps on missing data). Tests may replace the factory with useMetricsSource().
 */
import { sampleCount, UPPER_MS } from "../domain/metrics/histogram.js";
import type { ArmWindow, MetricsSource } from "../domain/rollouts/metrics.js";
import type { Arrived } from "./metrics-sql.js";
import { type MetricsStore, metricsShard } from "./metrics-store.js";

/** How long before now an analysis window ends (see above). */
export const SETTLE_MS = 2_000;

const NO_METRICS: MetricsSource = {
  settleMs: 0,
  window: () => Promise.resolve({ primary: null, staging: null }),
};

function armWindow(a: Arrived | null): ArmWindow | null {
  if (a === null) return null;
  const latency = sampleCount(a.latency) === 0 ? null : { boundsMs: UPPER_MS, counts: a.latency };
  return { requests: a.requests, status5xx: a.s5xx, latency };
}

/** The MetricsSource over the metrics store's shards. */
export function storeMetricsSource(ns: DurableObjectNamespace<MetricsStore>): MetricsSource {
  return {
    settleMs: SETTLE_MS,
    async window(primaryId, stagingId, fromMs, toMs) {
      const arrived = await metricsShard(ns, primaryId).arrived(primaryId, stagingId, fromMs, toMs);
      return { primary: armWindow(arrived.primary), staging: armWindow(arrived.staging) };
    },
  };
}

// A deployment may leave the METRICS binding out (the edge then counts nothing either).
let factory: (env: Env) => MetricsSource = (env) =>
  env.METRICS === undefined ? NO_METRICS : storeMetricsSource(env.METRICS);

export function metricsSourceFor(env: Env): MetricsSource {
  return factory(env);
}

/** Replaces the factory (tests: a source over the figures the test itself produced); returns the previous one. */
export function useMetricsSource(next: (env: Env) => MetricsSource): (env: Env) => MetricsSource {
  const previous = factory;
  factory = next;
  return previous;
}
