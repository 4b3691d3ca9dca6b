/** The rollout state machine with an injected clock and hand-made analyses. */
import { describe, expect, it } from "vitest";
import {
  abortByOperator,
  approve,
  type Clock,
  nextWakeAt,
  pause,
  resume,
  startRollout,
  stepEndsAt,
  supersede,
  tick,
} from "../../../../src/domain/rollouts/engine.js";
import { DEFAULT_ANALYSIS } from "../../../../src/domain/rollouts/spec.js";
import {
  type Analysis,
  effectiveWeight,
  type Rollout,
  type RolloutSpec,
  type Verdict,
} from "../../../../src/domain/rollouts/types.js";
import { mulberry32 } from "../../routing/prng.js";
import { simulateRollout } from "./simulate.js";

const T0 = 1_700_000_000_000;
const S = 1000;
const at = (seconds: number): Clock => ({ now: T0 + seconds * S, secondMs: S });

const spec = (over: Partial<RolloutSpec> = {}): RolloutSpec => ({
  steps: [
    { weight: 0.05, pauseSeconds: 120, approval: false },
    { weight: 0.3, pauseSeconds: null, approval: true },
    { weight: 0.6, pauseSeconds: 60, approval: false },
  ],
  analysis: { ...DEFAULT_ANALYSIS, intervalSeconds: 60, failureLimit: 2 },
  onSuccess: "promote",
  ...over,
});

function start(s = spec()): Rollout {
  const t = startRollout(
    { id: "r1", primaryId: "EP", stagingId: "ES", policyId: "pol", policyEtag: "E1", policyWeight: 0.1, spec: s },
    at(0),
  );
  expect(t.effect).toBe("weight");
  return t.rollout;
}

function analysis(verdict: Verdict, seconds: number, from = 0): Analysis {
  const figures = { requests: 500, status5xx: 0, errorRate: 0, latencySamples: 0, p99Ms: null };
  return {
    at: T0 + seconds * S,
    from: T0 + from * S,
    to: T0 + seconds * S,
    step: 0,
    weight: 0.05,
    primary: figures,
    staging: figures,
    errorRate: { verdict, increase: 0, z: 0, criticalZ: 2.33, pValue: 0.5 },
    latency: { verdict: "inconclusive", p99Ratio: null },
    verdict,
    reasons: [`${verdict} because the test said so`],
  };
}

describe("rollout engine", () => {
  it("starts at step 1 with its weight, the first analysis one interval later", () => {
    const r = start();
    expect(r).toMatchObject({ state: "progressing", stepIndex: 0, nextAnalysisAt: T0 + 60 * S });
    expect(effectiveWeight(r)).toBe(0.05);
    expect(stepEndsAt(r, at(0))).toBe(T0 + 120 * S);
    expect(nextWakeAt(r, at(0))).toBe(T0 + 60 * S);
    expect(r.events.map((e) => e.type)).toEqual(["started", "step"]);
  });

  it("a timed step ends after its pause and a passing analysis, then an approval gate holds", () => {
    let r = start();
    r = tick(r, at(60), analysis("pass", 60)).rollout;
    expect(r).toMatchObject({ stepIndex: 0, stepPassed: true, windowFrom: T0 + 60 * S });
    const t = tick(r, at(120), analysis("pass", 120, 60));
    expect(t.effect).toBe("weight");
    // The next window runs on from the last one: nothing counted between two analyses goes unjudged.
    expect(t.rollout).toMatchObject({ state: "awaiting-approval", stepIndex: 1, windowFrom: T0 + 120 * S });
    expect(effectiveWeight(t.rollout)).toBe(0.3);
    // Time passes: nothing moves without approval (analyses still run).
    const waited = tick(t.rollout, at(600), analysis("pass", 600, 120));
    expect(waited.rollout.state).toBe("awaiting-approval");
    expect(waited.effect).toBe("none");
    const approved = approve(waited.rollout, at(601));
    if (!approved.ok) throw new Error("approve refused");
    expect(approved.value.rollout).toMatchObject({ state: "progressing", stepIndex: 2 });
  });

  it("a step whose time is up waits for a passing analysis when they were inconclusive", () => {
    let r = start();
    r = tick(r, at(60), analysis("inconclusive", 60)).rollout;
    expect(r.windowFrom).toBe(T0); // the window stays open
    const t = tick(r, at(120), analysis("inconclusive", 120));
    expect(t.rollout.stepIndex).toBe(0);
    expect(t.rollout.events.at(-1)?.type).toBe("waiting-for-analysis");
    // The next wake-up is the analysis, not the (past) end of the step.
    expect(nextWakeAt(t.rollout, at(120))).toBe(T0 + 180 * S);
    const passed = tick(t.rollout, at(180), analysis("pass", 180));
    expect(passed.rollout.stepIndex).toBe(1);
  });

  it("aborts at failureLimit failed analyses, disabling the policy, with the numbers", () => {
    let r = start();
    const first = tick(r, at(60), analysis("fail", 60));
    expect(first.effect).toBe("none");
    expect(first.rollout.failures).toBe(1);
    r = first.rollout;
    const second = tick(r, at(120), analysis("fail", 120, 60));
    expect(second.effect).toBe("disable-policy");
    expect(second.rollout).toMatchObject({ state: "aborted", endedAt: T0 + 120 * S, nextAnalysisAt: null });
    expect(second.rollout.abort).toMatchObject({ by: "analysis", policyDisabled: true });
    expect(second.rollout.abort?.reason).toContain("2 failed analyses (failureLimit 2): fail because the test said so");
    expect(effectiveWeight(second.rollout)).toBeNull();
    expect(nextWakeAt(second.rollout, at(120))).toBeNull();
  });

  it("pause stops the step clock (analyses go on); resume restarts it where it was", () => {
    let r = start();
    const paused = pause(r, at(90));
    if (!paused.ok) throw new Error("pause refused");
    r = paused.value.rollout;
    expect(r).toMatchObject({ state: "paused", stepElapsedMs: 90 * S, runningSince: null });
    expect(stepEndsAt(r, at(1000))).toBeNull();
    r = tick(r, at(1000), analysis("pass", 1000)).rollout;
    expect(r.state).toBe("paused");
    const resumed = resume(r, at(2000));
    if (!resumed.ok) throw new Error("resume refused");
    expect(stepEndsAt(resumed.value.rollout, at(2000))).toBe(T0 + 2030 * S);
    expect(tick(resumed.value.rollout, at(2030), null).rollout.stepIndex).toBe(1);
  });

  it("refuses actions that do not fit the state", () => {
    const r = start();
    for (const result of [approve(r, at(1)), resume(r, at(1))]) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.tag).toBe("invalid-rollout-state");
    }
    const aborted = abortByOperator(r, at(2), "enough");
    if (!aborted.ok) throw new Error("abort refused");
    expect(aborted.value.effect).toBe("disable-policy");
    expect(aborted.value.rollout.abort).toMatchObject({ by: "operator", reason: "enough" });
    expect(pause(aborted.value.rollout, at(3)).ok).toBe(false);
    expect(abortByOperator(aborted.value.rollout, at(3), "again").ok).toBe(false);
  });

  it("after the last step: promote, or hold the last weight", () => {
    const one = { steps: [{ weight: 0.5, pauseSeconds: 60, approval: false }] };
    const promote = tick(start(spec({ ...one, onSuccess: "promote" })), at(60), analysis("pass", 60));
    expect(promote.effect).toBe("promote");
    expect(promote.rollout).toMatchObject({ state: "succeeded", holding: false });
    const hold = tick(start(spec({ ...one, onSuccess: "hold" })), at(60), analysis("pass", 60));
    expect(hold.effect).toBe("none");
    expect(hold.rollout).toMatchObject({ state: "succeeded", holding: true });
    expect(effectiveWeight(hold.rollout)).toBe(0.5);
    // A held weight can be aborted, or released by an outside change.
    expect(abortByOperator(hold.rollout, at(61), "stop").ok).toBe(true);
    const released = supersede(hold.rollout, at(61), "the policy was updated");
    expect(released).toMatchObject({ state: "succeeded", holding: false });
    expect(effectiveWeight(released)).toBeNull();
  });

  it("an outside change ends a live rollout without touching the policy", () => {
    const r = supersede(start(), at(5), "UpdateContinuousDeploymentPolicy: the policy was updated");
    expect(r).toMatchObject({ state: "aborted" });
    expect(r.abort).toMatchObject({ by: "superseded", policyDisabled: false });
  });

  it("a staging at 20 % 5xx aborts at the first analysis with minRequests (failureLimit 1)", () => {
    const analysisSpec = { ...DEFAULT_ANALYSIS, minRequests: 100, failureLimit: 1 };
    const model = { errorRate: 0.01, medianMs: 40, sigma: 0.5 };
    const broken = { ...model, errorRate: 0.2 };
    // 100 requests/s: the first interval already has ~600 staging requests.
    const busy = simulateRollout(
      { requestsPerSecond: 100, weight: 0.1, primary: model, staging: broken },
      analysisSpec,
      10,
      mulberry32(3),
    );
    expect(busy.state).toBe("aborted");
    expect(busy.analyses.map((a) => a.verdict)).toEqual(["fail"]);
    // 10 requests/s: ~60 staging requests per interval, so the first analysis is inconclusive and the second,
    // judging both intervals (~120), fails.
    const quiet = simulateRollout(
      { requestsPerSecond: 10, weight: 0.1, primary: model, staging: broken },
      analysisSpec,
      10,
      mulberry32(4),
    );
    expect(quiet.state).toBe("aborted");
    expect(quiet.analyses.map((a) => a.verdict)).toEqual(["inconclusive", "fail"]);
    expect(quiet.abort?.analysis?.staging.requests).toBeGreaterThanOrEqual(100);
  });

  it("bounds the analyses and events it keeps", () => {
    let r = start(spec({ steps: [{ weight: 0.1, pauseSeconds: 604_800, approval: false }] }));
    for (let i = 1; i <= 600; i++) r = tick(r, at(60 * i), analysis("inconclusive", 60 * i)).rollout;
    expect(r.analyses).toHaveLength(500);
    expect(r.analysesOmitted).toBe(100);
  });
});
