/**
 * The latency histogram: its buckets, and its percentiles against the exact nearest-rank percentiles of the same
 * samples. The stated bound (histogram.ts): |estimate - exact| <= max(1 ms, 20 % of exact) up to 300 s.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bucketOf,
  cumulativeAt,
  EXPORT_UPPER_MS,
  emptyHistogram,
  HISTOGRAM_SIZE,
  percentile,
  UPPER_MS,
} from "../../../../src/domain/metrics/histogram.js";

function histogramOf(samples: readonly number[]): number[] {
  const h = emptyHistogram();
  for (const x of samples) {
    const b = bucketOf(x);
    h[b] = (h[b] ?? 0) + 1;
  }
  return h;
}

/** The nearest-rank percentile: the sample of rank ceil(q * n) in ascending order. */
function exactPercentile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1] ?? Number.NaN;
}

const allowedError = (exact: number): number => Math.max(1, 0.2 * exact);

/** Latencies as workerd measures them (whole ms), spread over several decades. */
const wholeMs = fc.oneof(
  fc.integer({ min: 0, max: 20 }),
  fc.integer({ min: 0, max: 2_000 }),
  fc.integer({ min: 0, max: 300_000 }),
);

describe("latency histogram", () => {
  it("has ascending bounds at most 1.2x apart, from 1 ms to 300 s, and exports a subset of them", () => {
    expect(UPPER_MS[0]).toBe(1);
    expect(UPPER_MS.at(-1)).toBe(300_000);
    expect(HISTOGRAM_SIZE).toBe(UPPER_MS.length + 1);
    for (let i = 1; i < UPPER_MS.length; i++) {
      const lo = UPPER_MS[i - 1] ?? 0;
      const hi = UPPER_MS[i] ?? 0;
      expect(hi).toBeGreaterThan(lo);
      expect(hi / lo).toBeLessThanOrEqual(1.2 + 1e-9);
    }
    for (const b of EXPORT_UPPER_MS) expect(UPPER_MS).toContain(b);
  });

  it("puts a sample in the first bucket whose bound is >= it (Prometheus' le), integers and fractions alike", () => {
    fc.assert(
      fc.property(fc.oneof(wholeMs, fc.double({ min: 0, max: 400_000, noNaN: true })), (x) => {
        const b = bucketOf(x);
        const upper = UPPER_MS[b] ?? Number.POSITIVE_INFINITY;
        const lower = b === 0 ? Number.NEGATIVE_INFINITY : (UPPER_MS[b - 1] ?? 0);
        expect(x).toBeLessThanOrEqual(upper);
        expect(x).toBeGreaterThan(lower);
      }),
    );
    expect(bucketOf(-5)).toBe(0);
    expect(bucketOf(1e9)).toBe(HISTOGRAM_SIZE - 1);
  });

  it("estimates p50, p90 and p99 within max(1 ms, 20 %) of the exact percentiles of the same samples", () => {
    fc.assert(
      fc.property(fc.array(wholeMs, { minLength: 1, maxLength: 400 }), (samples) => {
        const h = histogramOf(samples);
        for (const q of [0.5, 0.9, 0.99]) {
          const exact = exactPercentile(samples, q);
          const estimate = percentile(h, q);
          expect(estimate).not.toBeNull();
          expect(Math.abs((estimate ?? 0) - exact)).toBeLessThanOrEqual(allowedError(exact));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("holds the bound on a long-tailed distribution like real origin latency", () => {
    // Log-normal around 40 ms with a tail into seconds, 10,000 samples, a fixed seed.
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const samples = Array.from({ length: 10_000 }, () => {
      const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      return Math.round(Math.exp(Math.log(40) + 1.2 * normal));
    });
    const h = histogramOf(samples);
    for (const q of [0.5, 0.9, 0.99]) {
      const exact = exactPercentile(samples, q);
      expect(Math.abs((percentile(h, q) ?? 0) - exact)).toBeLessThanOrEqual(allowedError(exact));
    }
  });

  it("has no percentile without samples, and reports 300 s for samples beyond the last bound", () => {
    expect(percentile(emptyHistogram(), 0.5)).toBeNull();
    expect(percentile(histogramOf([400_000, 500_000]), 0.99)).toBe(300_000);
  });

  it("gives Prometheus' cumulative bucket counts at the exported bounds", () => {
    const samples = [0, 1, 2, 3, 5, 7, 60, 999, 1000, 1001, 400_000];
    const counts = cumulativeAt(histogramOf(samples), EXPORT_UPPER_MS);
    EXPORT_UPPER_MS.forEach((upper, i) => {
      expect(counts[i]).toBe(samples.filter((x) => x <= upper).length);
    });
  });
});
