/**
 * The extensions' pure rules over a control-plane state: attach/detach shortcuts, restoring a history version,
 * preview-link requests, rollout specs and targets.
 */
import { describe, expect, it } from "vitest";
import { attachPolicy, detachPolicy } from "../../../src/domain/distribution/attachment.js";
import { normalizeDistributionConfig } from "../../../src/domain/distribution/normalize.js";
import {
  copyDistribution,
  createDistribution,
  updateDistribution,
} from "../../../src/domain/distribution/operations.js";
import { type HistoryVersion, restoreVersion } from "../../../src/domain/history.js";
import { createPolicy, updatePolicy } from "../../../src/domain/policy/operations.js";
import { parsePreviewRequest, planPreviewLink } from "../../../src/domain/preview.js";
import type { DomainError, Result } from "../../../src/domain/result.js";
import { parseRolloutSpec } from "../../../src/domain/rollouts/spec.js";
import { rolloutTarget } from "../../../src/domain/rollouts/target.js";
import type { ControlState, DistributionRecord, PolicyRecord } from "../../../src/domain/state.js";
import { applied, config, ctx, emptyState, weight } from "../store/fixtures.js";

function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`unexpected ${r.error.tag}: ${"message" in r.error ? r.error.message : ""}`);
  return r.value;
}
const tagOf = (r: Result<unknown>): DomainError["tag"] | "ok" => (r.ok ? "ok" : r.error.tag);
const messageOf = (r: Result<unknown>): string => (r.ok || !("message" in r.error) ? "" : r.error.message);

interface World {
  s: ControlState;
  primary: DistributionRecord;
  staging: DistributionRecord;
  policy: PolicyRecord;
}

/** A primary (with an alias), its staging copy and a weight policy naming it, not attached. */
function world(policyEnabled = true): World {
  const c = ctx();
  let s = emptyState();
  const p = must(createDistribution(s, config("p", { Aliases: { Quantity: 1, Items: ["www.shop.test"] } }), c));
  s = applied(s, p.change);
  const st = must(
    copyDistribution(
      s,
      { primaryId: p.record.id, staging: true, ifMatch: undefined, callerReference: "s", enabled: true },
      c,
    ),
  );
  s = applied(s, st.change);
  const pol = must(createPolicy(s, weight(st.record.domainName, 0.05, policyEnabled), c));
  s = applied(s, pol.change);
  return { s, primary: p.record, staging: st.record, policy: pol.record };
}

function attached(w: World = world()): World {
  const out = must(attachPolicy(w.s, w.primary.id, undefined, w.policy.id, ctx()));
  return { ...w, s: applied(w.s, out.change), primary: out.record };
}

describe("attach and detach", () => {
  it("attaches with only ContinuousDeploymentPolicyId changed, and detaches again", () => {
    const w = attached();
    expect(w.primary.config.ContinuousDeploymentPolicyId).toBe(w.policy.id);
    const { Comment, Origins } = w.primary.config;
    expect({ Comment, Origins }).toEqual({ Comment: "", Origins: normalizeDistributionConfig(config("p")).Origins });
    const off = must(detachPolicy(w.s, w.primary.id, w.primary.etag, ctx()));
    expect(off.record.config.ContinuousDeploymentPolicyId).toBe("");
    expect(off.record.etag).not.toBe(w.primary.etag);
  });

  it("attaching the attached policy, or detaching nothing, changes nothing", () => {
    const w = attached();
    const again = must(attachPolicy(w.s, w.primary.id, undefined, w.policy.id, ctx()));
    expect(again.change.putDistributions).toEqual([]);
    expect(again.record.etag).toBe(w.primary.etag);
    const none = world();
    expect(must(detachPolicy(none.s, none.primary.id, undefined, ctx())).change.putDistributions).toEqual([]);
  });

  it("has UpdateDistribution's error cases", () => {
    const w = world();
    expect(tagOf(attachPolicy(w.s, "ENOPE", undefined, w.policy.id, ctx()))).toBe("no-such-distribution");
    expect(tagOf(attachPolicy(w.s, w.primary.id, undefined, "no-such", ctx()))).toBe("no-such-policy");
    expect(tagOf(attachPolicy(w.s, w.primary.id, "ESTALE", w.policy.id, ctx()))).toBe("precondition-failed");
    expect(tagOf(attachPolicy(w.s, w.primary.id, undefined, " ", ctx()))).toBe("invalid-argument");
    expect(tagOf(attachPolicy(w.s, w.staging.id, undefined, w.policy.id, ctx()))).toBe("invalid-argument");
    // A second primary for the same policy.
    const other = must(createDistribution(w.s, config("q"), ctx()));
    const s2 = applied(attached(w).s, other.change);
    expect(tagOf(attachPolicy(s2, other.record.id, undefined, w.policy.id, ctx()))).toBe("policy-in-use");
  });

  it("attaching refuses a pair that differs outside §5 (IllegalUpdate)", () => {
    const w = world();
    const changed = must(
      updateDistribution(
        w.s,
        w.staging.id,
        w.staging.etag,
        { ...w.staging.config, PriceClass: "PriceClass_100" },
        ctx(),
      ),
    );
    const s = applied(w.s, changed.change);
    expect(tagOf(attachPolicy(s, w.primary.id, undefined, w.policy.id, ctx()))).toBe("illegal-update");
  });
});

describe("restore", () => {
  const version = (d: DistributionRecord, n: number): HistoryVersion => ({
    distributionId: d.id,
    version: n,
    etag: d.etag,
    at: d.lastModified,
    cause: { madeBy: "api", operation: "UpdateDistribution" },
    config: d.config,
  });

  it("makes an old config current as a new commit, with a new ETag", () => {
    const w = attached();
    const v1 = version(w.primary, 1);
    const edited = must(
      updateDistribution(w.s, w.primary.id, w.primary.etag, { ...w.primary.config, Comment: "two" }, ctx()),
    );
    const s = applied(w.s, edited.change);
    const back = must(restoreVersion(s, w.primary.id, edited.record.etag, v1, 1, ctx()));
    expect(back.record.config.Comment).toBe("");
    expect(back.record.etag).not.toBe(edited.record.etag);
    expect(back.record.etag).not.toBe(w.primary.etag);
  });

  it("needs the current ETag and a version of this distribution", () => {
    const w = attached();
    const v1 = version(w.primary, 1);
    expect(tagOf(restoreVersion(w.s, w.primary.id, undefined, v1, 1, ctx()))).toBe("invalid-if-match");
    expect(tagOf(restoreVersion(w.s, w.primary.id, "EOLD", v1, 1, ctx()))).toBe("precondition-failed");
    expect(tagOf(restoreVersion(w.s, w.primary.id, w.primary.etag, undefined, 9, ctx()))).toBe("no-such-version");
    expect(tagOf(restoreVersion(w.s, w.staging.id, w.staging.etag, v1, 1, ctx()))).toBe("no-such-version");
    expect(tagOf(restoreVersion(w.s, "ENOPE", "x", v1, 1, ctx()))).toBe("no-such-distribution");
  });

  it("restoring a version from before the attachment detaches; one that breaks §5 now is IllegalUpdate", () => {
    const w = world();
    const before = version(w.primary, 1);
    const a = attached(w);
    const detached = must(restoreVersion(a.s, a.primary.id, a.primary.etag, before, 1, ctx()));
    expect(detached.record.config.ContinuousDeploymentPolicyId).toBe("");
    // A version with another PriceClass, while the policy is attached: outside §5.
    const odd = version({ ...a.primary, config: { ...a.primary.config, PriceClass: "PriceClass_100" } }, 2);
    expect(tagOf(restoreVersion(a.s, a.primary.id, a.primary.etag, odd, 2, ctx()))).toBe("illegal-update");
  });
});

describe("preview links", () => {
  it("parses a request, with defaults, and refuses hostile members", () => {
    expect(must(parsePreviewRequest({ arm: "staging" }))).toEqual({
      arm: "staging",
      expiresInSeconds: 3600,
      path: "/",
    });
    expect(must(parsePreviewRequest({ arm: "primary", expiresInSeconds: 60, path: "/a/b" })).path).toBe("/a/b");
    for (const bad of [
      null,
      [],
      "staging",
      { arm: "both" },
      { arm: "staging", expiresInSeconds: 59 },
      { arm: "staging", expiresInSeconds: 604_801 },
      { arm: "staging", expiresInSeconds: 1.5 },
      { arm: "staging", expiresInSeconds: "600" },
      { arm: "staging", path: "no-slash" },
      { arm: "staging", path: "/x?y=1" },
      { arm: "staging", path: "/x y" },
      { arm: "staging", extra: 1 },
    ]) {
      expect(tagOf(parsePreviewRequest(bad)), JSON.stringify(bad)).toBe("invalid-argument");
    }
  });

  it("plans a link on the first alias, expiring after expiresInSeconds; needs an attached policy", () => {
    const w = attached();
    const plan = must(planPreviewLink(w.s, w.primary.id, { arm: "staging", expiresInSeconds: 600, path: "/" }, 1000.7));
    expect(plan).toEqual({
      primaryId: w.primary.id,
      host: "www.shop.test",
      arm: "staging",
      path: "/",
      expiresAt: 1600,
    });
    const bare = world();
    expect(
      tagOf(planPreviewLink(bare.s, bare.primary.id, { arm: "staging", expiresInSeconds: 600, path: "/" }, 0)),
    ).toBe("no-attached-policy");
    expect(tagOf(planPreviewLink(w.s, w.staging.id, { arm: "staging", expiresInSeconds: 600, path: "/" }, 0))).toBe(
      "invalid-argument",
    );
    expect(tagOf(planPreviewLink(w.s, "ENOPE", { arm: "staging", expiresInSeconds: 600, path: "/" }, 0))).toBe(
      "no-such-distribution",
    );
  });
});

describe("rollout spec", () => {
  const steps = [
    { weight: 0.05, pauseSeconds: 300 },
    { weight: 0.1, approval: true },
  ];

  it("parses steps and fills the analysis defaults", () => {
    const spec = must(parseRolloutSpec({ steps }, 0.15));
    expect(spec.steps).toEqual([
      { weight: 0.05, pauseSeconds: 300, approval: false },
      { weight: 0.1, pauseSeconds: null, approval: true },
    ]);
    expect(spec.onSuccess).toBe("hold");
    expect(spec.analysis).toMatchObject({ intervalSeconds: 60, minRequests: 100, confidence: 0.99, failureLimit: 2 });
  });

  it("allows weights up to MAX_STAGING_WEIGHT only", () => {
    expect(messageOf(parseRolloutSpec({ steps: [{ weight: 0.2, pauseSeconds: 60 }] }, 0.15))).toContain("0.15");
    expect(tagOf(parseRolloutSpec({ steps: [{ weight: 0.2, pauseSeconds: 60 }] }, 0.5))).toBe("ok");
  });

  it("refuses every malformed member with a message that names it", () => {
    const cases: [unknown, string][] = [
      [null, "JSON object"],
      [{}, "steps"],
      [{ steps: [] }, "steps"],
      [{ steps: new Array(21).fill(steps[0]) }, "steps"],
      [{ steps: [{ weight: 0, pauseSeconds: 1 }] }, "steps[0].weight"],
      [{ steps: [{ weight: "0.1", pauseSeconds: 1 }] }, "steps[0].weight"],
      [{ steps: [{ weight: 0.1 }] }, "either pauseSeconds or approval"],
      [{ steps: [{ weight: 0.1, pauseSeconds: 60, approval: true }] }, "exactly one"],
      [{ steps: [{ weight: 0.1, approval: false }] }, "either pauseSeconds"],
      [{ steps: [{ weight: 0.1, pauseSecond: 60 }] }, 'unknown member "pauseSecond"'],
      [{ steps: [{ weight: 0.1, pauseSeconds: -1 }] }, "pauseSeconds"],
      [{ steps: [{ weight: 0.1, pauseSeconds: 1.5 }] }, "pauseSeconds"],
      [{ steps, analysis: { intervalSeconds: 30 } }, "intervalSeconds"],
      [{ steps, analysis: { confidence: 1 } }, "confidence"],
      [{ steps, analysis: { maxLatencyP99Ratio: 0.5 } }, "maxLatencyP99Ratio"],
      [{ steps, analysis: { failureLimit: 0 } }, "failureLimit"],
      [{ steps, analysis: { minRequests: 10.5 } }, "minRequests"],
      [{ steps, analysis: { maxErrorRateIncrease: 2 } }, "maxErrorRateIncrease"],
      [{ steps, analysis: { threshold: 1 } }, 'unknown member "threshold"'],
      [{ steps, onSuccess: "rollback" }, "onSuccess"],
      [{ steps, extra: true }, 'unknown member "extra"'],
    ];
    for (const [raw, words] of cases) {
      const r = parseRolloutSpec(raw, 0.15);
      expect(tagOf(r), JSON.stringify(raw)).toBe("invalid-argument");
      expect(messageOf(r)).toContain(words);
    }
  });
});

describe("rollout target", () => {
  it("needs an attached, enabled SingleWeight policy with an enabled staging distribution", () => {
    const w = attached();
    expect(must(rolloutTarget(w.s, w.primary.id))).toMatchObject({ weight: 0.05, staging: { id: w.staging.id } });
    expect(tagOf(rolloutTarget(world().s, world().primary.id))).toBe("no-such-distribution");
    const bare = world();
    expect(messageOf(rolloutTarget(bare.s, bare.primary.id))).toContain("No continuous deployment policy is attached");
    const off = attached(world(false));
    expect(tagOf(rolloutTarget(off.s, off.primary.id))).toBe("no-enabled-weight-policy");
    expect(messageOf(rolloutTarget(off.s, off.primary.id))).toContain("disabled");
    const header = {
      ...w.policy.config,
      TrafficConfig: { Type: "SingleHeader" as const, SingleHeaderConfig: { Header: "aws-cf-cd-x", Value: "1" } },
    };
    const hp = must(updatePolicy(w.s, w.policy.id, w.policy.etag, header, ctx()));
    expect(messageOf(rolloutTarget(applied(w.s, hp.change), w.primary.id))).toContain("not a SingleWeight policy");
    expect(tagOf(rolloutTarget(w.s, w.staging.id))).toBe("invalid-argument");
  });
});
