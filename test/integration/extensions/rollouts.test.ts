/**
 * Rollouts end to end in workerd: real loopback origins, the real worker and ControlPlane Durable Object (its
 * alarm runs the steps), real KV, requests signed by the AWS SDK's signer, and the rollout clock shortened by
 * config (ROLLOUT_SECOND_MS=10: a 60 s interval lasts 0.6 s). The engine reads its figures through the
 * MetricsSource port from ViewerMetrics: the viewer responses these tests themselves receive, counted per serving
 * distribution (rollouts-metrics.test.ts judges from the real metrics store, through the edge's counts). Latency
 * ratios are not what these tests judge (TEST_ANALYSIS, api.ts).
 */
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { MetricsSource } from "../../../src/domain/rollouts/metrics.js";
import { hostKey, type ViewerHostConfig } from "../../../src/model/edge-config.js";
import { useMetricsSource } from "../../../src/store/metrics-source.js";
import { echo, sessionCookie, viewer } from "../../support/worker/edge.js";
import { ViewerMetrics } from "../../support/worker/viewer-metrics.js";
import { call, tagText } from "../control/client.js";
import { weightPolicyXml } from "../control/documents.js";
import { expectError, expectJson, ext, type Pair, pair, TEST_ANALYSIS, until } from "./api.js";

const metrics = new ViewerMetrics();
let previous: ((env: Env) => MetricsSource) | undefined;
beforeAll(() => {
  previous = useMetricsSource(() => metrics);
});
afterAll(() => {
  if (previous !== undefined) useMetricsSource(previous);
});

interface View {
  id: string;
  state: string;
  currentStep: { index: number; weight: number } | null;
  effectiveWeight: number | null;
  policyWeight: number;
  weightSource: string;
  edge: string;
  holding: boolean;
  nextTransitionAt: string | null;
  nextAnalysisAt: string | null;
  failures: number;
  analyses: { verdict: string; staging: { requests: number; status5xx: number }; reasons: string[] }[];
  events: { type: string; message: string }[];
  abort: {
    by: string;
    reason: string;
    policyDisabled: boolean;
    analysis: { staging: { requests: number; status5xx: number } } | null;
  } | null;
}

/** `n` new viewers (no cookie: each draws at the edge's weight), each counted for the distribution that served it. */
async function traffic(p: Pair, n = 20): Promise<void> {
  for (let i = 0; i < n; i++) {
    const t0 = Date.now();
    const res = await viewer(p.host, "/");
    metrics.record(
      res.headers.get("x-served-by") === "staging" ? p.stagingId : p.primaryId,
      res.status,
      Date.now() - t0,
    );
  }
}

const rollout = async (p: Pair): Promise<View> => expectJson<View>(await ext("GET", `/${p.primaryId}/rollout`), 200);
const start = async (p: Pair, spec: unknown): Promise<View> =>
  expectJson<View>(await ext("PUT", `/${p.primaryId}/rollout`, spec), 201);
const act = async (p: Pair, action: string, body?: unknown): Promise<View> =>
  expectJson<View>(await ext("POST", `/${p.primaryId}/rollout/${action}`, body), 200);

async function edgeRecord(p: Pair): Promise<ViewerHostConfig> {
  const r = await env.EDGE_CONFIG.get<ViewerHostConfig>(hostKey(p.host), "json");
  if (r === null) throw new Error(`no record for ${p.host}`);
  return r;
}

/** The policy as the CloudFront API shows it (what Terraform reads). */
async function cloudFrontPolicy(p: Pair): Promise<{ weight: number; enabled: boolean; etag: string }> {
  const res = await call("GET", `/continuous-deployment-policy/${p.policyId}/config`);
  const xml = await res.text();
  return {
    weight: Number(tagText(xml, "Weight")),
    enabled: tagText(xml, "Enabled") === "true",
    etag: res.headers.get("etag") ?? "",
  };
}

/** Polls the rollout, sending traffic between polls, until `done` holds. */
const untilRollout = (p: Pair, what: string, done: (v: View) => boolean, seen?: (v: View) => void) =>
  until(
    what,
    async () => {
      const v = await rollout(p);
      seen?.(v);
      return done(v) ? v : undefined;
    },
    () => traffic(p),
  );

describe("rollouts", () => {
  it("a full ramp beyond 15 % to promote, the edge on the rollout's weight, the CloudFront view unchanged", async () => {
    const p = await pair("ramp", { policy: { weight: 0.05 } });
    const epoch = (await edgeRecord(p)).policy?.epoch;
    const before = await cloudFrontPolicy(p);
    const started = await start(p, {
      steps: [
        { weight: 0.1, pauseSeconds: 60 },
        { weight: 0.3, pauseSeconds: 60 },
        { weight: 0.5, pauseSeconds: 60 },
      ],
      analysis: TEST_ANALYSIS,
      onSuccess: "promote",
    });
    expect(started).toMatchObject({
      state: "progressing",
      effectiveWeight: 0.1,
      policyWeight: 0.05,
      weightSource: "rollout",
      currentStep: { index: 0, weight: 0.1 },
    });
    expect(started.edge).toContain("the policy still shows its own weight 0.05");
    expect((await edgeRecord(p)).policy).toMatchObject({ rolloutId: started.id, traffic: { weight: 0.1 } });
    // The CloudFront view is the client's, ETag included: a read-modify-write client sees nothing to change.
    expect(await cloudFrontPolicy(p)).toEqual(before);

    const weights: number[] = [];
    const done = await untilRollout(
      p,
      "the ramp to succeed",
      (v) => v.state === "succeeded",
      (v) => {
        if (v.effectiveWeight !== null && weights.at(-1) !== v.effectiveWeight) weights.push(v.effectiveWeight);
      },
    );
    expect(weights).toEqual([0.1, 0.3, 0.5]);
    expect(done.analyses.length).toBeGreaterThanOrEqual(3);
    expect(done.analyses.filter((a) => a.verdict === "fail")).toEqual([]);
    expect(done.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(["started", "step", "succeeded", "promoted"]),
    );
    expect(done).toMatchObject({ effectiveWeight: null, weightSource: "policy", holding: false });
    // Promoted as UpdateDistributionWithStagingConfig does: primary serves staging's origin, the policy is off.
    for (let i = 0; i < 10; i++) {
      const res = await viewer(p.host, "/");
      expect(res.headers.get("x-served-by")).toBe("primary");
      expect((await echo(res)).origin).toBe("staging");
    }
    expect(await cloudFrontPolicy(p)).toMatchObject({ weight: 0.05, enabled: false });
    const record = await edgeRecord(p);
    expect(record.policy).toMatchObject({ enabled: false, epoch: (epoch ?? 0) + 1, traffic: { weight: 0.05 } });
    expect(record.policy).not.toHaveProperty("rolloutId");
    const history = await expectJson<{ versions: { madeBy: string; rolloutId?: string }[] }>(
      await ext("GET", `/${p.primaryId}/history`),
      200,
    );
    expect(history.versions[0]).toMatchObject({ madeBy: "rollout", operation: "promote", rolloutId: started.id });
  });

  it("an approval gate holds until approved; onSuccess hold keeps the last weight until the policy's client changes it", async () => {
    const p = await pair("approval", { policy: { weight: 0.05 } });
    const started = await start(p, {
      steps: [
        { weight: 0.2, approval: true },
        { weight: 0.4, pauseSeconds: 60 },
      ],
      analysis: TEST_ANALYSIS,
      onSuccess: "hold",
    });
    expect(started).toMatchObject({ state: "awaiting-approval", effectiveWeight: 0.2, nextTransitionAt: null });
    // Well past several intervals: analyses run, nothing moves.
    const waited = await untilRollout(p, "two analyses while waiting", (v) => v.analyses.length >= 2);
    expect(waited).toMatchObject({ state: "awaiting-approval", currentStep: { index: 0 } });
    expect(await expectError(await ext("POST", `/${p.primaryId}/rollout/resume`), 409)).toBe("InvalidRolloutState");

    const approved = await act(p, "approve");
    expect(approved).toMatchObject({ state: "progressing", currentStep: { index: 1 }, effectiveWeight: 0.4 });
    const held = await untilRollout(p, "the hold", (v) => v.state === "succeeded");
    expect(held).toMatchObject({ holding: true, effectiveWeight: 0.4, weightSource: "rollout" });
    expect((await edgeRecord(p)).policy?.traffic).toMatchObject({ weight: 0.4 });
    expect(await cloudFrontPolicy(p)).toMatchObject({ weight: 0.05, enabled: true });
    expect(await expectError(await ext("POST", `/${p.primaryId}/rollout/approve`), 409)).toBe("InvalidRolloutState");

    // The client sets a weight through the CloudFront API: its weight takes over, the hold is released.
    const cf = await cloudFrontPolicy(p);
    const updated = await call("PUT", `/continuous-deployment-policy/${p.policyId}`, {
      body: weightPolicyXml(p.stagingDomain, 0.1),
      headers: { "if-match": cf.etag },
    });
    expect(updated.status).toBe(200);
    const released = await rollout(p);
    expect(released).toMatchObject({ state: "succeeded", holding: false, effectiveWeight: null });
    expect(released.events.at(-1)).toMatchObject({ type: "hold-released" });
    expect((await edgeRecord(p)).policy?.traffic).toMatchObject({ weight: 0.1 });
  });

  it("an origin that starts failing mid-rollout: aborted by the judge, the policy disabled, viewers back on primary", async () => {
    const key = `fail-${Date.now()}`;
    const origins = inject("origins");
    const p = await pair("failing", { policy: { weight: 0.05 }, stagingOrigin: { switchableKey: key } });
    const epoch = (await edgeRecord(p)).policy?.epoch ?? 0;
    await start(p, { steps: [{ weight: 0.3, pauseSeconds: 100_000 }], analysis: TEST_ANALYSIS, onSuccess: "promote" });
    // A viewer whose sticky session landed on staging.
    const pinned = await until("a staging session", async () => {
      const res = await viewer(p.host, "/");
      return res.headers.get("x-served-by") === "staging" ? (sessionCookie(res) ?? undefined) : undefined;
    });
    await untilRollout(p, "a passing analysis", (v) => v.analyses.some((a) => a.verdict === "pass"));

    const failing = await fetch(`http://127.0.0.1:${origins.switchable}/__mode/${key}/fail`);
    expect(failing.status).toBe(204);
    try {
      const aborted = await untilRollout(p, "the abort", (v) => v.state === "aborted");
      expect(aborted.abort).toMatchObject({ by: "analysis", policyDisabled: true });
      expect(aborted.abort?.reason).toMatch(/1 failed analysis \(failureLimit 1\): 5xx rate: staging \d+\.\d+ %/);
      expect(aborted.abort?.analysis?.staging.status5xx).toBeGreaterThan(0);
      expect(aborted.effectiveWeight).toBeNull();
      // Disabled exactly as UpdateContinuousDeploymentPolicy with Enabled=false: new epoch, the client's weight.
      expect(await cloudFrontPolicy(p)).toMatchObject({ weight: 0.05, enabled: false });
      expect((await edgeRecord(p)).policy).toMatchObject({
        enabled: false,
        epoch: epoch + 1,
        traffic: { weight: 0.05 },
      });
      // Viewers are back on primary (within the propagation bound: 0 here), the staging session included.
      const returning = await viewer(p.host, "/", { headers: { cookie: `sf-cd-session=${pinned}` } });
      expect(returning.headers.get("x-served-by")).toBe("primary");
      for (let i = 0; i < 30; i++) {
        const res = await viewer(p.host, "/");
        expect(res.status).toBe(200);
        expect(res.headers.get("x-served-by")).toBe("primary");
      }
    } finally {
      await fetch(`http://127.0.0.1:${origins.switchable}/__mode/${key}/ok`);
    }
  });

  it("pause stops the steps (not the analyses), resume goes on, abort disables the policy with the operator's reason", async () => {
    const p = await pair("pause", { policy: { weight: 0.05 } });
    await start(p, {
      steps: [
        { weight: 0.1, pauseSeconds: 60 },
        { weight: 0.2, pauseSeconds: 6000 },
      ],
      analysis: TEST_ANALYSIS,
    });
    const paused = await act(p, "pause");
    expect(paused).toMatchObject({ state: "paused", nextTransitionAt: null });
    const still = await untilRollout(
      p,
      "analyses while paused",
      (v) => v.analyses.filter((a) => a.verdict === "pass").length >= 2,
    );
    expect(still).toMatchObject({ state: "paused", currentStep: { index: 0 } });
    expect(await expectError(await ext("POST", `/${p.primaryId}/rollout/approve`), 409)).toBe("InvalidRolloutState");

    const resumed = await act(p, "resume");
    expect(resumed.state).toBe("progressing");
    expect(resumed.nextTransitionAt).not.toBeNull();
    await untilRollout(p, "step 2", (v) => v.currentStep?.index === 1);

    const aborted = await act(p, "abort", { reason: "checkout looks wrong" });
    expect(aborted).toMatchObject({
      state: "aborted",
      abort: { by: "operator", reason: "checkout looks wrong", policyDisabled: true },
    });
    expect(await cloudFrontPolicy(p)).toMatchObject({ enabled: false });
    expect((await edgeRecord(p)).policy).toMatchObject({ enabled: false });
    expect(await expectError(await ext("POST", `/${p.primaryId}/rollout/pause`), 409)).toBe("InvalidRolloutState");
  });

  it("ends when the policy's client updates the policy, leaving the client's config in force", async () => {
    const p = await pair("superseded", { policy: { weight: 0.05 } });
    await start(p, { steps: [{ weight: 0.3, pauseSeconds: 6000 }], analysis: TEST_ANALYSIS });
    const cf = await cloudFrontPolicy(p);
    const updated = await call("PUT", `/continuous-deployment-policy/${p.policyId}`, {
      body: weightPolicyXml(p.stagingDomain, 0.15),
      headers: { "if-match": cf.etag },
    });
    expect(updated.status).toBe(200);
    const ended = await rollout(p);
    expect(ended).toMatchObject({ state: "aborted", abort: { by: "superseded", policyDisabled: false } });
    expect(ended.abort?.reason).toContain("UpdateContinuousDeploymentPolicy");
    expect((await edgeRecord(p)).policy).toMatchObject({ enabled: true, traffic: { weight: 0.15 } });
    // A new rollout may start now.
    expect((await start(p, { steps: [{ weight: 0.2, approval: true }] })).state).toBe("awaiting-approval");
    await act(p, "abort");
  });

  it("refuses with clear JSON errors", async () => {
    const bare = await pair("refuse-bare", { attach: false });
    const spec = { steps: [{ weight: 0.1, pauseSeconds: 60 }] };
    const put = (id: string, body: unknown = spec) => ext("PUT", `/${id}/rollout`, body);
    const noPolicy = await put(bare.primaryId);
    expect(await noPolicy.clone().json()).toMatchObject({
      error: { message: expect.stringContaining("No continuous deployment policy is attached") },
    });
    expect(await expectError(noPolicy, 409)).toBe("NoEnabledWeightPolicy");
    const header = await pair("refuse-header", { policy: { header: "aws-cf-cd-x", value: "1" } });
    expect(await expectError(await put(header.primaryId), 409)).toBe("NoEnabledWeightPolicy");
    const off = await pair("refuse-off", { policy: { weight: 0.05, enabled: false } });
    expect(await expectError(await put(off.primaryId), 409)).toBe("NoEnabledWeightPolicy");
    expect(await expectError(await ext("GET", `/${off.primaryId}/rollout`), 404)).toBe("NoSuchRollout");
    expect(await expectError(await put("ENOSUCHDIST000"), 404)).toBe("NoSuchDistribution");
    expect(await expectError(await put(off.stagingId), 400)).toBe("InvalidArgument");

    const p = await pair("refuse-running", { policy: { weight: 0.05 } });
    const beyond = await put(p.primaryId, { steps: [{ weight: 0.6, pauseSeconds: 60 }] });
    expect(await beyond.clone().json()).toMatchObject({ error: { message: expect.stringContaining("0.5") } });
    expect(await expectError(beyond, 400)).toBe("InvalidArgument");
    expect(await expectError(await put(p.primaryId, { steps: [{ weight: 0.1 }] }), 400)).toBe("InvalidArgument");
    expect(await expectError(await ext("PUT", `/${p.primaryId}/rollout`, undefined, { raw: "[" }), 400)).toBe(
      "MalformedJSON",
    );
    await start(p, spec);
    expect(await expectError(await put(p.primaryId), 409)).toBe("RolloutInProgress");
    expect(await expectError(await ext("POST", `/${p.primaryId}/rollout/approve`), 409)).toBe("InvalidRolloutState");
    expect(await expectError(await ext("POST", `/${p.primaryId}/rollout/skip`), 404)).toBe("NotFound");
    expect(await expectError(await ext("DELETE", `/${p.primaryId}/rollout`), 405)).toBe("MethodNotAllowed");
    await act(p, "abort");
  });

  it("takes If-Match on an action: the rollout's id (its ETag), so an action never lands on a rollout that replaced the one seen", async () => {
    const p = await pair("if-match", { policy: { weight: 0.05 } });
    const first = await ext("PUT", `/${p.primaryId}/rollout`, { steps: [{ weight: 0.2, approval: true }] });
    const seen = (await expectJson<View>(first, 201)).id;
    expect(first.headers.get("etag")).toBe(seen);
    expect((await ext("GET", `/${p.primaryId}/rollout`)).headers.get("etag")).toBe(seen);

    // Meanwhile someone else updates the policy (which ends the first rollout) and starts another.
    const cf = await cloudFrontPolicy(p);
    const updated = await call("PUT", `/continuous-deployment-policy/${p.policyId}`, {
      body: weightPolicyXml(p.stagingDomain, 0.1),
      headers: { "if-match": cf.etag },
    });
    expect(updated.status).toBe(200);
    const second = await start(p, { steps: [{ weight: 0.2, approval: true }] });
    expect(second.id).not.toBe(seen);

    // Actions meant for the first change nothing (quoted or not).
    const actOn = (action: string, ifMatch: string) =>
      ext("POST", `/${p.primaryId}/rollout/${action}`, undefined, { headers: { "if-match": ifMatch } });
    expect(await expectError(await actOn("abort", seen), 412)).toBe("PreconditionFailed");
    expect(await expectError(await actOn("pause", `"${seen}"`), 412)).toBe("PreconditionFailed");
    expect(await rollout(p)).toMatchObject({ id: second.id, state: "awaiting-approval" });
    expect((await cloudFrontPolicy(p)).enabled).toBe(true);

    expect((await expectJson<View>(await actOn("abort", second.id), 200)).state).toBe("aborted");
    expect((await cloudFrontPolicy(p)).enabled).toBe(false);
  });
});
