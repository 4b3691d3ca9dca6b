/**
 * THE WIRING POINT between the rollout engine and the metrics store: the ControlPlane asks metricsSourceFor(env)
 * for the MetricsSource (src/domain/rollouts/metrics.ts) each analysis reads. Until the per-minute metrics Durable
 * Object is wired in here, the source has no figures, every analysis is inconclusive, and a rollout holds its
 * first step (it never ramps on missing data). Tests replace the factory with useMetricsSource().
 */
import type { MetricsSource } from "../domain/rollouts/metrics.js";

const NO_METRICS: MetricsSource = { window: () => Promise.resolve(null) };

let factory: (env: Env) => MetricsSource = () => NO_METRICS;

export function metricsSourceFor(env: Env): MetricsSource {
  return factory(env);
}

/** Replaces the factory (tests: a source over the figures the test itself produced); returns the previous one. */
export function useMetricsSource(next: (env: Env) => MetricsSource): (env: Env) => MetricsSource {
  const previous = factory;
  factory = next;
  return previous;
}
