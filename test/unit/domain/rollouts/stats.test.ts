import { describe, expect, it } from "vitest";
import { histogramQuantile, normalCdf, normalQuantile } from "../../../../src/domain/rollouts/stats.js";

describe("normal distribution", () => {
  it("matches tabulated values", () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-2.326348)).toBeCloseTo(0.01, 6);
    expect(normalQuantile(0.99)).toBeCloseTo(2.326348, 5);
    expect(normalQuantile(0.95)).toBeCloseTo(1.644854, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
  });
  it("the quantile inverts the CDF across the range", () => {
    for (const p of [0.0001, 0.01, 0.2, 0.5, 0.8, 0.99, 0.9999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6);
  });
  it("edges", () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(2)).toBeNaN();
    expect(normalCdf(Number.POSITIVE_INFINITY)).toBe(1);
  });
});

describe("histogramQuantile", () => {
  const boundsMs = [10, 20, 50];
  it("interpolates inside the bucket holding the rank", () => {
    // 100 samples: 50 in (0,10], 40 in (10,20], 10 in (20,50]. p99 is the 99th: 9/10 of the way through (20,50].
    expect(histogramQuantile({ boundsMs, counts: [50, 40, 10, 0] }, 0.99)).toEqual({ valueMs: 47, overflow: false });
    expect(histogramQuantile({ boundsMs, counts: [50, 40, 10, 0] }, 0.5)).toEqual({ valueMs: 10, overflow: false });
  });
  it("reads the overflow bucket as the last bound, and says so", () => {
    expect(histogramQuantile({ boundsMs, counts: [0, 0, 1, 99] }, 0.99)).toEqual({ valueMs: 50, overflow: true });
  });
  it("empty or malformed: null", () => {
    expect(histogramQuantile({ boundsMs, counts: [0, 0, 0, 0] }, 0.99)).toBeNull();
    expect(histogramQuantile({ boundsMs, counts: [1, 2] }, 0.99)).toBeNull();
  });
});
