import { describe, expect, it } from "vitest";
import { bucketOf, newSessionId } from "../../../src/routing/bucket.js";
import { mulberry32, sequence } from "./prng.js";

/** Pearson's chi-square statistic of `values` in [0,1) over `bins` equal bins. */
function chiSquare(values: number[], bins: number): number {
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    const b = Math.floor(v * bins);
    counts[b] = (counts[b] ?? 0) + 1;
  }
  const expected = values.length / bins;
  return counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
}

/** Chi-square critical value for 9 degrees of freedom at p = 0.001. */
const CHI2_9DF_P001 = 27.877;

describe("newSessionId", () => {
  it("is 128 bits as 22 base64url characters, taken from the injected source", () => {
    const id = newSessionId(mulberry32(1));
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(newSessionId(mulberry32(1))).toBe(id);
    expect(newSessionId(mulberry32(2))).not.toBe(id);
  });

  it("spans the whole 128 bits: all-zero and all-one draws give the extreme ids", () => {
    expect(newSessionId(sequence(0))).toBe("AAAAAAAAAAAAAAAAAAAAAA");
    expect(newSessionId(sequence(1 - 2 ** -53))).toBe("_____________________w");
    // Out of contract (exactly 1) must not overflow into a different id.
    expect(newSessionId(sequence(1))).toBe("_____________________w");
  });

  it("gives distinct ids for 10,000 draws of a seeded source", () => {
    const random = mulberry32(42);
    const ids = new Set(Array.from({ length: 10_000 }, () => newSessionId(random)));
    expect(ids.size).toBe(10_000);
  });
});

describe("bucketOf", () => {
  it("lies in [0, 1) and is a pure function of the id", () => {
    const random = mulberry32(3);
    for (let i = 0; i < 1000; i++) {
      const sid = newSessionId(random);
      const b = bucketOf(sid);
      expect(b).toBeGreaterThanOrEqual(0);
      expect(b).toBeLessThan(1);
      expect(bucketOf(sid)).toBe(b);
    }
  });

  it("is uniform over 10 bins for sequential ids (chi-square, p = 0.001)", () => {
    const decimal = Array.from({ length: 20_000 }, (_, i) => bucketOf(String(i)));
    expect(chiSquare(decimal, 10)).toBeLessThan(CHI2_9DF_P001);
    // Ids from a counter "random" source: consecutive ids differ only in their last bits.
    let n = 0;
    const counter = () => (n++ % 2 ** 32) / 2 ** 32;
    const counted = Array.from({ length: 20_000 }, () => bucketOf(newSessionId(counter)));
    expect(chiSquare(counted, 10)).toBeLessThan(CHI2_9DF_P001);
  });

  it("is uniform over 10 bins for ids from a seeded source", () => {
    const random = mulberry32(2024);
    const values = Array.from({ length: 20_000 }, () => bucketOf(newSessionId(random)));
    expect(chiSquare(values, 10)).toBeLessThan(CHI2_9DF_P001);
  });
});
