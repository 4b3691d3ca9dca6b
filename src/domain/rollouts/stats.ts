/**
 * The few statistics the rollout judge needs, in closed form so the judge stays pure and deterministic: the
 * standard normal distribution function and its inverse, and a percentile read from a fixed-bucket latency
 * histogram (what the metrics store keeps per minute; histograms add up over a window, percentiles do not).
 */
import type { LatencyHistogram } from "./metrics.js";

/**
 * Φ(z), the standard normal CDF, through erfc (W. J. Cody's rational Chebyshev fit as given in Numerical Recipes'
 * erfcc: fractional error below 1.2e-7 everywhere), which is plenty for reporting a p-value.
 */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z === Number.POSITIVE_INFINITY) return 1;
  if (z === Number.NEGATIVE_INFINITY) return 0;
  return 1 - erfc(z / Math.SQRT2) / 2;
}

function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/**
 * Φ⁻¹(p) for 0 < p < 1: Peter Acklam's rational approximation (relative error below 1.15e-9), the usual way to
 * turn a confidence level into a critical value without tables.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return Number.NEGATIVE_INFINITY;
    if (p === 1) return Number.POSITIVE_INFINITY;
    return Number.NaN;
  }
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const poly = (k: number[], x: number): number => k.reduce((acc, v) => acc * x + v, 0);
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -poly(c, q) / (poly(d, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

/** How many latency samples a histogram holds. */
export const histogramCount = (h: LatencyHistogram): number => h.counts.reduce((n, c) => n + c, 0);

/**
 * The `q`-quantile (0 < q < 1) of a fixed-bucket histogram, interpolated linearly inside the bucket that holds it
 * (bucket i covers (bounds[i-1], bounds[i]], the first starts at 0; the last count is the overflow above the last
 * bound, read as that bound: `overflow` says so). null when the histogram is empty or malformed.
 */
export function histogramQuantile(h: LatencyHistogram, q: number): { valueMs: number; overflow: boolean } | null {
  const { boundsMs, counts } = h;
  if (counts.length !== boundsMs.length + 1 || boundsMs.length === 0) return null;
  const total = histogramCount(h);
  if (!(total > 0)) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i] ?? 0;
    if (n > 0 && seen + n >= rank) {
      const upper = boundsMs[i];
      const lower = i === 0 ? 0 : (boundsMs[i - 1] ?? 0);
      if (upper === undefined) return { valueMs: lower, overflow: true };
      return { valueMs: lower + ((rank - seen) / n) * (upper - lower), overflow: false };
    }
    seen += n;
  }
  return { valueMs: boundsMs[boundsMs.length - 1] ?? 0, overflow: true };
}
