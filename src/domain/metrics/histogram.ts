/**
 * The fixed-bucket histogram of origin latency (milliseconds): every isolate, the metrics store and the API use
 * the same buckets, so histograms merge by adding counts. Bucket i counts the samples x with
 * UPPER_MS[i-1] < x <= UPPER_MS[i] (Prometheus' `le`); the last bucket counts everything above the last bound.
 *
 * The bounds follow 18 steps per decade (1, 1.1, 1.2, 1.3, 1.5, 1.7, 2, 2.2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9)
 * from 1 ms to 300 s: neighbouring bounds are at most 1.2x apart, and every decade keeps the 1-2.5-5 steps, so the
 * Prometheus export (EXPORT_UPPER_MS) takes a conventional subset without losing exactness.
 *
 * Error bound of percentile(): the estimate lies in the same bucket as the exact nearest-rank percentile, so
 * |estimate - exact| <= max(1 ms, 20 % of exact) up to 300 s; above 300 s the estimate is 300 s (a lower bound).
 */

const MANTISSAS = [1, 1.1, 1.2, 1.3, 1.5, 1.7, 2, 2.2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9];
const MAX_MS = 300_000;

function bounds(): number[] {
  const out: number[] = [];
  for (let scale = 1; scale <= MAX_MS; scale *= 10) {
    for (const m of MANTISSAS) {
      // Rounded so 1.1 * 100 is 110, not 110.00000000000001.
      const bound = Math.round(m * scale * 1000) / 1000;
      if (bound <= MAX_MS) out.push(bound);
    }
  }
  return out;
}

/** Upper bounds (inclusive) of every bucket but the last, ascending. */
export const UPPER_MS: readonly number[] = bounds();

/** Number of buckets: one per bound, plus the overflow bucket. */
export const HISTOGRAM_SIZE = UPPER_MS.length + 1;

/** The bounds the Prometheus histogram exposes (a subset of UPPER_MS; see test/unit/domain/metrics). */
export const EXPORT_UPPER_MS: readonly number[] = [
  1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 120_000, 300_000,
];

/** Bucket of each whole millisecond below this, precomputed: the hot path's samples are whole milliseconds. */
const TABLE_SIZE = 2048;
const TABLE = (() => {
  const table = new Uint8Array(TABLE_SIZE);
  for (let ms = 0; ms < TABLE_SIZE; ms++) table[ms] = search(ms);
  return table;
})();

/** First bucket whose bound is >= ms (binary search). */
function search(ms: number): number {
  let lo = 0;
  let hi = UPPER_MS.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((UPPER_MS[mid] ?? Number.POSITIVE_INFINITY) < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The bucket of a latency sample in milliseconds (negative samples count as 0). */
export function bucketOf(ms: number): number {
  if (ms >= 0 && ms < TABLE_SIZE && (ms | 0) === ms) return TABLE[ms] ?? 0;
  return ms <= 0 ? 0 : search(ms);
}

/** A histogram with no samples. */
export const emptyHistogram = (): number[] => new Array<number>(HISTOGRAM_SIZE).fill(0);

/** Adds `from`'s counts into `into` (same buckets). */
export function addHistogram(into: number[], from: readonly number[]): void {
  for (let i = 0; i < HISTOGRAM_SIZE; i++) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
}

export const sampleCount = (h: readonly number[]): number => h.reduce((a, b) => a + b, 0);

/**
 * The q-quantile (0 < q <= 1) as the nearest-rank percentile would pick it: the bucket holding the sample of rank
 * ceil(q * n), interpolated linearly inside it by rank. null without samples.
 */
export function percentile(h: readonly number[], q: number): number | null {
  const n = sampleCount(h);
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(q * n));
  let below = 0;
  for (let i = 0; i < HISTOGRAM_SIZE; i++) {
    const count = h[i] ?? 0;
    if (below + count >= rank) {
      const upper = UPPER_MS[i];
      if (upper === undefined) return MAX_MS;
      const lower = i === 0 ? 0 : (UPPER_MS[i - 1] ?? 0);
      return lower + ((upper - lower) * (rank - below)) / count;
    }
    below += count;
  }
  return MAX_MS;
}

/** Cumulative count of samples <= each of `uppers` (which must be bucket bounds), as Prometheus buckets. */
export function cumulativeAt(h: readonly number[], uppers: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let sum = 0;
  for (const upper of uppers) {
    while (i < UPPER_MS.length && (UPPER_MS[i] ?? 0) <= upper) {
      sum += h[i] ?? 0;
      i++;
    }
    out.push(sum);
  }
  return out;
}
