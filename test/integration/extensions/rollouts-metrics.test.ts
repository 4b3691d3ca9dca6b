/**
 * Rollouts judged from real counted traffic: viewer requests through the real worker with telemetry on (flushes
 * every second), counted at the edge per serving distribution, flushed to the primary's MetricsStore shard, read by
 * the ControlPlane through metricsSourceFor(env) (no test source here) and judged. The clocks are shortened by
 * config: a rollout second lasts 10 ms (ROLLOUT_SECOND_MS, a 60 s interval is 0.6 s), METRICS_FLUSH_S is 1 s. A
 * window ends SETTLE_MS (2 s) before its analysis, so the first verdicts come a few seconds after the start.
 * Latency ratios are not judged here (TEST_ANALYSIS, api.ts).
 */
import { afterAll, describe, expect, inject, it } from "vitest";
import { SETTLE_MS } from "../../../src/store/metrics-source.js";
import { echo, sessionCookie, viewer } from "../../support/worker/edge.js";
import { call, tagText } from "../control/client.js";
import { metricsEnv, storeOf, Viewers } from "../metrics/support.js";
import { expectJson, ext, type Pair, pair, TEST_ANALYSIS, until } from "./api.js";

interface Figures {
  requests: number;
  status5xx: number;
}

interface AnalysisView {
  at: string;
  from: string;
  to: string;
  verdict: string;
  primary: Figures;
  staging: Figures;
}

interface View {
  id: string;
  state: string;
  startedAt: string;
  currentStep: { index: number } | null;
  analyses: AnalysisView[];
  abort: { by: string; reason: string; policyDisabled: boolean; analysis: AnalysisView | null } | null;
}

const viewers = new Viewers(metricsEnv(1));
afterAll(() => viewers.settle());

/** `n` new viewers (no cookie: each draws at the edge's weight) with telemetry on, then the flush they scheduled. */
async function traffic(p: Pair, n = 20): Promise<void> {
  for (let i = 0; i < n; i++) await viewers.send(p.host, `/page-${i}`);
  await viewers.settle();
}

const rollout = async (p: Pair): Promise<View> => expectJson<View>(await ext("GET", `/${p.primaryId}/rollout`), 200);

const untilRollout = (p: Pair, what: string, done: (v: View) => boolean) =>
  until(
    what,
    async () => {
      const v = await rollout(p);
      return done(v) ? v : undefined;
    },
    () => traffic(p),
    90_000,
  );

/** What the viewers of `p` received since `from`, per serving arm: requests and 5xx. */
function received(p: Pair, from: number): { primary: Figures; staging: Figures } {
  const mine = viewers.received.slice(from);
  const arm = (name: string): Figures => {
    const served = mine.filter((r) => r.arm === name);
    return { requests: served.length, status5xx: served.filter((r) => r.status >= 500).length };
  };
  expect(
    mine.every((r) => r.arm === "primary" || r.arm === "staging"),
    p.host,
  ).toBe(true);
  return { primary: arm("primary"), staging: arm("staging") };
}

/**
 * Every analysis window ends SETTLE_MS before its analysis (or is empty, until then); each starts where the last
 * conclusive one ended, across steps, from the rollout's start.
 */
function expectSettledContiguousWindows(v: View): void {
  let conclusiveTo = v.startedAt;
  for (const a of v.analyses) {
    expect(Date.parse(a.to)).toBeLessThanOrEqual(Math.max(Date.parse(a.from), Date.parse(a.at) - SETTLE_MS));
    if (conclusiveTo !== null) expect(a.from).toBe(conclusiveTo);
    if (a.verdict !== "inconclusive") conclusiveTo = a.to;
  }
}

async function cloudFrontPolicyEnabled(p: Pair): Promise<boolean> {
  const xml = await (await call("GET", `/continuous-deployment-policy/${p.policyId}/config`)).text();
  return tagText(xml, "Enabled") === "true";
}

describe("rollouts judged from the metrics store", () => {
  it("a healthy staging progresses through every step to promote, on the counts the edge flushed; a restore undoes it", async () => {
    const p = await pair("real-healthy", { policy: { weight: 0.05 } });
    const first = viewers.received.length;
    await expectJson(
      await ext("PUT", `/${p.primaryId}/rollout`, {
        steps: [
          { weight: 0.2, pauseSeconds: 60 },
          { weight: 0.5, pauseSeconds: 60 },
        ],
        analysis: TEST_ANALYSIS,
        onSuccess: "promote",
      }),
      201,
    );
    const done = await untilRollout(p, "the ramp to succeed", (v) => v.state !== "progressing");
    expect(done.state).toBe("succeeded");
    const passed = done.analyses.filter((a) => a.verdict === "pass");
    // A step ends only after a passing analysis: one per step at least, each on real counts of both arms.
    expect(passed.length).toBeGreaterThanOrEqual(2);
    for (const a of passed) {
      expect(a.primary.requests).toBeGreaterThanOrEqual(TEST_ANALYSIS.minRequests);
      expect(a.staging.requests).toBeGreaterThanOrEqual(TEST_ANALYSIS.minRequests);
      expect(a.staging.status5xx).toBe(0);
    }
    expect(done.analyses.filter((a) => a.verdict === "fail")).toEqual([]);
    expectSettledContiguousWindows(done);

    // The judge saw what the viewers got and nothing else: the conclusive windows, and what arrived after the last
    // of them, add up to exactly the responses the viewers received (every one counted once, none lost).
    await viewers.settle();
    const seen = received(p, first);
    const judged = { primary: 0, staging: 0 };
    for (const a of done.analyses.filter((x) => x.verdict !== "inconclusive")) {
      judged.primary += a.primary.requests;
      judged.staging += a.staging.requests;
    }
    const lastTo = Date.parse(done.analyses.filter((a) => a.verdict !== "inconclusive").at(-1)?.to ?? "");
    const since = await storeOf(p.primaryId).arrived(p.primaryId, p.stagingId, lastTo, Number.MAX_SAFE_INTEGER);
    expect(judged.primary + (since.primary?.requests ?? 0)).toBe(seen.primary.requests);
    expect(judged.staging + (since.staging?.requests ?? 0)).toBe(seen.staging.requests);

    // Promoted: primary now serves the staging origin.
    const after = await viewer(p.host, "/after");
    expect(after.headers.get("x-served-by")).toBe("primary");
    expect((await echo(after)).origin).toBe("staging");
    expect(await cloudFrontPolicyEnabled(p)).toBe(false);

    // Written as UpdateDistributionWithStagingConfig writes it: staging's config under the primary's identity
    // (CallerReference, Aliases, the attachment), Staging false.
    const ports = inject("origins");
    const promoted = await call("GET", `/distribution/${p.primaryId}/config`);
    const xml = await promoted.text();
    expect(tagText(xml, "Staging")).toBe("false");
    expect(tagText(xml, "CallerReference")).toBe(p.ref);
    expect(tagText(xml, "CNAME")).toBe(p.host);
    expect(tagText(xml, "ContinuousDeploymentPolicyId")).toBe(p.policyId);
    expect(tagText(xml, "HTTPPort")).toBe(String(ports.staging));

    // Undo: the history names the rollout's promote; restoring the version before it gives viewers the old origin
    // back, and leaves the policy off.
    const history = await expectJson<{ versions: { version: number; madeBy: string; rolloutId?: string }[] }>(
      await ext("GET", `/${p.primaryId}/history`),
      200,
    );
    const top = history.versions[0];
    expect(top).toMatchObject({ madeBy: "rollout", rolloutId: done.id, stagingDistributionId: p.stagingId });
    await expectJson(
      await ext("POST", `/${p.primaryId}/history/${(top?.version ?? 0) - 1}/restore`, undefined, {
        headers: { "if-match": promoted.headers.get("etag") ?? "" },
      }),
      200,
    );
    const restored = await (await call("GET", `/distribution/${p.primaryId}/config`)).text();
    expect(tagText(restored, "HTTPPort")).toBe(String(ports.primary));
    expect(tagText(restored, "ContinuousDeploymentPolicyId")).toBe(p.policyId);
    for (let i = 0; i < 10; i++) {
      const res = await viewer(p.host, `/undone-${i}`);
      expect(res.headers.get("x-served-by")).toBe("primary");
      expect((await echo(res)).origin).toBe("primary");
    }
    expect(await cloudFrontPolicyEnabled(p)).toBe(false);
  });

  it("an origin that starts failing mid-rollout (the edge's own 502s) aborts it and disables the policy", async () => {
    const key = `real-fail-${Date.now()}`;
    const origins = inject("origins");
    const p = await pair("real-failing", { policy: { weight: 0.05 }, stagingOrigin: { switchableKey: key } });
    await expectJson(
      await ext("PUT", `/${p.primaryId}/rollout`, {
        steps: [
          { weight: 0.5, pauseSeconds: 60 },
          { weight: 0.5, pauseSeconds: 100_000 },
        ],
        analysis: TEST_ANALYSIS,
        onSuccess: "promote",
      }),
      201,
    );
    // Healthy first: the first step passes on real counts and the rollout moves on.
    await untilRollout(p, "the second step", (v) => v.currentStep?.index === 1);
    // A viewer whose sticky session landed on staging (at 0.5, within a few draws).
    const pinned = await until("a staging session", async () => {
      const res = await viewer(p.host, "/pinned");
      return res.headers.get("x-served-by") === "staging" ? (sessionCookie(res) ?? undefined) : undefined;
    });
    const first = viewers.received.length;
    const drop = await fetch(`http://127.0.0.1:${origins.switchable}/__mode/${key}/drop`);
    expect(drop.status).toBe(204);
    try {
      const aborted = await untilRollout(p, "the abort", (v) => v.state !== "progressing");
      expect(aborted.state).toBe("aborted");
      expect(aborted.abort).toMatchObject({ by: "analysis", policyDisabled: true });
      expect(aborted.abort?.reason).toMatch(/5xx rate: staging \d+\.\d+ %/);
      // Staging's viewers got the edge's 502s; the failing window counted them as 5xx, primary's as healthy.
      const seen = received(p, first);
      expect(seen.staging.status5xx).toBe(seen.staging.requests);
      const failed = aborted.abort?.analysis;
      expect(failed?.verdict).toBe("fail");
      expect(failed?.staging.status5xx).toBeGreaterThan(0);
      expect(failed?.staging.status5xx).toBeLessThanOrEqual(seen.staging.status5xx);
      expect(failed?.primary.status5xx).toBe(0);
      expectSettledContiguousWindows(aborted);
      // The policy is off as UpdateContinuousDeploymentPolicy with Enabled=false would leave it: the staging
      // session ends and new viewers are on primary (propagation bound 0 here), whatever the weight said.
      expect(await cloudFrontPolicyEnabled(p)).toBe(false);
      const returning = await viewer(p.host, "/pinned", { headers: { cookie: `sf-cd-session=${pinned}` } });
      expect(returning.status).toBe(200);
      expect(returning.headers.get("x-served-by")).toBe("primary");
      for (let i = 0; i < 20; i++) {
        const res = await viewer(p.host, `/back-${i}`);
        expect(res.status).toBe(200);
        expect(res.headers.get("x-served-by")).toBe("primary");
      }
    } finally {
      await fetch(`http://127.0.0.1:${origins.switchable}/__mode/${key}/ok`);
    }
  });
});
