/**
 * The judge under seeded simulated traffic (100 requests/s, weight 0.1, one-minute windows unless said): a healthy
 * staging never fails, a broken one fails at once, an incident that hits both arms alike never fails, and small
 * counts are inconclusive or pass rather than trigger.
 */
import { describe, expect, it } from "vitest";
import { judge } from "../../../../src/domain/rollouts/judge.js";
import type { ArmWindow } from "../../../../src/domain/rollouts/metrics.js";
import { DEFAULT_ANALYSIS } from "../../../../src/domain/rollouts/spec.js";
import type { AnalysisSpec, Verdict } from "../../../../src/domain/rollouts/types.js";
import { mulberry32 } from "../../routing/prng.js";
import { type ArmModel, simulateRollout, simulateWindow, type Traffic } from "./simulate.js";

const spec: AnalysisSpec = { ...DEFAULT_ANALYSIS, minRequests: 100, maxErrorRateIncrease: 0.01, confidence: 0.99 };
const healthy: ArmModel = { errorRate: 0.01, medianMs: 40, sigma: 0.5 };

function traffic(staging: Partial<ArmModel>, primary: Partial<ArmModel> = {}): Traffic {
  return {
    requestsPerSecond: 100,
    weight: 0.1,
    primary: { ...healthy, ...primary },
    staging: { ...healthy, ...staging },
  };
}

function run(t: Traffic, analyses: number, seed: number, s: AnalysisSpec = spec): Record<Verdict, number> {
  const random = mulberry32(seed);
  const verdicts: Record<Verdict, number> = { pass: 0, fail: 0, inconclusive: 0 };
  for (let i = 0; i < analyses; i++) {
    const w = simulateWindow(t, s.intervalSeconds, random);
    const a = judge({
      primary: w.primary,
      staging: w.staging,
      spec: s,
      at: 0,
      from: 0,
      to: 60_000,
      step: 0,
      weight: 0.1,
    });
    verdicts[a.verdict]++;
  }
  return verdicts;
}

const window = (requests: number, status5xx: number): ArmWindow => ({ requests, status5xx, latency: null });

describe("judge: simulations", () => {
  it("a healthy staging (same 1 % errors and latency as primary) never fails in 1,000 analyses", () => {
    const v = run(traffic({}), 1000, 42);
    expect(v).toEqual({ pass: 1000, fail: 0, inconclusive: 0 });
  });

  it("a staging at 20 % 5xx fails the first analysis that has minRequests", () => {
    const random = mulberry32(7);
    const w = simulateWindow(traffic({ errorRate: 0.2 }), 60, random);
    expect(w.staging.requests).toBeGreaterThanOrEqual(spec.minRequests);
    const a = judge({ primary: w.primary, staging: w.staging, spec, at: 0, from: 0, to: 1, step: 0, weight: 0.1 });
    expect(a.verdict).toBe("fail");
    expect(a.errorRate.verdict).toBe("fail");
    expect(a.errorRate.z).toBeGreaterThan(a.errorRate.criticalZ);
    expect(a.reasons.join(" ")).toMatch(/5xx rate: staging \d+\.\d+ %/);
    // ... and it fails in every one of 200 independent windows, not by luck.
    expect(run(traffic({ errorRate: 0.2 }), 200, 8).fail).toBe(200);
  });

  it("both arms at 20 % 5xx (a global incident): no rollout aborts, single analyses rarely fail", () => {
    const incident = traffic({ errorRate: 0.2 }, { errorRate: 0.2 });
    // 100 rollouts of 10 analyses each, with the default failureLimit (2).
    const random = mulberry32(9);
    let aborted = 0;
    let failed = 0;
    for (let i = 0; i < 100; i++) {
      const r = simulateRollout(incident, { ...spec, failureLimit: DEFAULT_ANALYSIS.failureLimit }, 10, random);
      if (r.state === "aborted") aborted++;
      failed += r.failures;
    }
    expect(aborted).toBe(0);
    // A one-point margin is small next to the noise of a 20 % rate over ~600 staging requests: about 0.1 % of
    // analyses fail (0.095 % of 20,000 simulated windows), which failureLimit absorbs.
    expect(failed).toBeLessThanOrEqual(5);
  });

  it("a latency incident on both arms never fails; staging alone three times slower always does", () => {
    const slow = { medianMs: 150 };
    expect(run(traffic(slow, slow), 300, 10).fail).toBe(0);
    const v = run(traffic(slow), 300, 11);
    expect(v.fail).toBe(300);
  });

  it("with too little traffic for minRequests, every analysis is inconclusive, even for a broken staging", () => {
    const quiet: Traffic = { ...traffic({ errorRate: 0.5 }), requestsPerSecond: 10 };
    expect(run(quiet, 100, 12)).toEqual({ pass: 0, fail: 0, inconclusive: 100 });
  });
});

describe("judge: small counts and the margin", () => {
  const judgeOf = (staging: ArmWindow, primary: ArmWindow, s = spec) =>
    judge({ primary, staging, spec: s, at: 0, from: 0, to: 1, step: 0, weight: 0.1 });

  it("a few errors on a small staging do not trigger (continuity correction, variance floor)", () => {
    expect(judgeOf(window(100, 3), window(900, 0)).verdict).toBe("pass");
    expect(judgeOf(window(100, 4), window(900, 9)).verdict).toBe("pass");
  });

  it("an increase within the margin passes even when it is certain", () => {
    // 1.5 % against 1 %, a million requests each: real, but half a point, under the one-point margin.
    expect(judgeOf(window(1_000_000, 15_000), window(1_000_000, 10_000)).verdict).toBe("pass");
    // 3 % against 1 % at the same volume is beyond it.
    expect(judgeOf(window(1_000_000, 30_000), window(1_000_000, 10_000)).verdict).toBe("fail");
  });

  it("below minRequests on either arm: inconclusive, with the counts in the reason", () => {
    const a = judgeOf(window(99, 99), window(10_000, 0));
    expect(a.verdict).toBe("inconclusive");
    expect(a.reasons[0]).toContain("99 staging and 10000 primary requests");
  });

  it("no window at all is inconclusive", () => {
    const a = judge({ primary: null, staging: null, spec, at: 0, from: 0, to: 1, step: 0, weight: 0.1 });
    expect(a.verdict).toBe("inconclusive");
    expect(a.primary).toMatchObject({ requests: 0, errorRate: null, p99Ms: null });
  });

  it("hostile figures are clamped: more errors than requests, negative counts", () => {
    const a = judgeOf(window(200, 500), window(-5, -1));
    expect(a.staging.status5xx).toBe(200);
    expect(a.primary.requests).toBe(0);
    expect(a.verdict).toBe("inconclusive");
  });
});
