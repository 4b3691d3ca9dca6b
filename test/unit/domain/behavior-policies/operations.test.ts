/**
 * The pure rules of cache, origin request and response headers policies against the state: names unique per kind,
 * quotas, managed ones immutable, references from behaviours (unknown ids refused, in-use policies kept), the §5
 * check letting staging name other policies, and the publisher's records changing when a policy they use changes.
 */
import { describe, expect, it } from "vitest";
import {
  createBehaviorPolicy,
  deleteBehaviorPolicy,
  updateBehaviorPolicy,
} from "../../../../src/domain/behavior-policies/operations.js";
import type { CachePolicyConfig, ResponseHeadersPolicyConfig } from "../../../../src/domain/behavior-policies/types.js";
import {
  copyDistribution,
  createDistribution,
  updateDistribution,
} from "../../../../src/domain/distribution/operations.js";
import type { DistributionConfig } from "../../../../src/domain/distribution/types.js";
import { createPolicy } from "../../../../src/domain/policy/operations.js";
import type { Result } from "../../../../src/domain/result.js";
import type { ControlState } from "../../../../src/domain/state.js";
import { compileEdgeConfigs } from "../../../../src/store/compile.js";
import { planPublish } from "../../../../src/store/publish.js";
import { applied, config, ctx, emptyState, weight } from "../../store/fixtures.js";

function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`unexpected ${r.error.tag}: ${"message" in r.error ? r.error.message : ""}`);
  return r.value;
}
const tagOf = (r: Result<unknown>) => (r.ok ? "ok" : r.error.tag);
const list = (...items: string[]) => ({ Quantity: items.length, Items: items });

const cache = (name: string, maxTTL = 3600): CachePolicyConfig => ({
  Name: name,
  MinTTL: 0,
  DefaultTTL: Math.min(60, maxTTL),
  MaxTTL: maxTTL,
  ParametersInCacheKeyAndForwardedToOrigin: {
    EnableAcceptEncodingGzip: false,
    HeadersConfig: { HeaderBehavior: "none" },
    CookiesConfig: { CookieBehavior: "none" },
    QueryStringsConfig: { QueryStringBehavior: "whitelist", QueryStrings: list("v") },
  },
});
const headersPolicy = (name: string, value: string): ResponseHeadersPolicyConfig => ({
  Name: name,
  CustomHeadersConfig: { Quantity: 1, Items: [{ Header: "x-arm", Value: value, Override: true }] },
});

describe("policy operations", () => {
  it("names are unique per kind (managed names included); the same name may serve another kind", () => {
    let s = emptyState();
    const a = must(createBehaviorPolicy(s, "cache", cache("site"), ctx()));
    s = applied(s, a.change);
    expect(tagOf(createBehaviorPolicy(s, "cache", cache("site"), ctx()))).toBe("cache-policy-already-exists");
    expect(tagOf(createBehaviorPolicy(s, "cache", cache("Managed-CachingDisabled"), ctx()))).toBe(
      "cache-policy-already-exists",
    );
    expect(tagOf(createBehaviorPolicy(s, "response-headers", headersPolicy("site", "x"), ctx()))).toBe("ok");
    // Renaming to a taken name is refused too; keeping one's own name is fine.
    const b = must(createBehaviorPolicy(s, "cache", cache("other"), ctx()));
    s = applied(s, b.change);
    expect(tagOf(updateBehaviorPolicy(s, "cache", b.record.id, b.record.etag, cache("site"), ctx()))).toBe(
      "cache-policy-already-exists",
    );
    expect(tagOf(updateBehaviorPolicy(s, "cache", b.record.id, b.record.etag, cache("other", 60), ctx()))).toBe("ok");
  });

  it("managed policies cannot be updated or deleted; unknown ids are NoSuch…", () => {
    const s = emptyState();
    const managed = "658327ea-f89d-4fab-a63d-7e88639e58f6";
    expect(tagOf(updateBehaviorPolicy(s, "cache", managed, "E", cache("x"), ctx()))).toBe("illegal-update");
    expect(tagOf(deleteBehaviorPolicy(s, "cache", managed, "E"))).toBe("illegal-delete");
    expect(tagOf(deleteBehaviorPolicy(s, "origin-request", "nope", "E"))).toBe("no-such-origin-request-policy");
    expect(tagOf(updateBehaviorPolicy(s, "response-headers", "nope", "E", headersPolicy("x", "y"), ctx()))).toBe(
      "no-such-response-headers-policy",
    );
  });

  it("a refusal changes nothing; the quota is 20 custom policies per kind", () => {
    let s = emptyState();
    for (let i = 0; i < 20; i++) s = applied(s, must(createBehaviorPolicy(s, "cache", cache(`p${i}`), ctx())).change);
    expect(tagOf(createBehaviorPolicy(s, "cache", cache("p20"), ctx()))).toBe("too-many-cache-policies");
    expect(tagOf(createBehaviorPolicy(s, "response-headers", headersPolicy("p20", "v"), ctx()))).toBe("ok");
  });
});

/** A primary on the managed CachingDisabled, its staging copy naming custom policies, a weight policy attached. */
function pairWithStagingPolicies() {
  let s: ControlState = emptyState();
  const cp = must(createBehaviorPolicy(s, "cache", cache("staging-cache"), ctx()));
  s = applied(s, cp.change);
  const rhp = must(createBehaviorPolicy(s, "response-headers", headersPolicy("staging-headers", "one"), ctx()));
  s = applied(s, rhp.change);
  const p = must(createDistribution(s, config("pp", { Aliases: { Quantity: 1, Items: ["www.pp.test"] } }), ctx()));
  s = applied(s, p.change);
  const st = must(
    copyDistribution(
      s,
      { primaryId: p.record.id, staging: true, ifMatch: undefined, callerReference: "ps", enabled: true },
      ctx(),
    ),
  );
  s = applied(s, st.change);
  const pol = must(createPolicy(s, weight(st.record.domainName), ctx()));
  s = applied(s, pol.change);
  const attach = must(
    updateDistribution(
      s,
      p.record.id,
      p.record.etag,
      { ...p.record.config, ContinuousDeploymentPolicyId: pol.record.id },
      ctx(),
    ),
  );
  s = applied(s, attach.change);
  const stagingConfig: DistributionConfig = {
    ...st.record.config,
    DefaultCacheBehavior: {
      TargetOriginId: "o",
      ViewerProtocolPolicy: "allow-all",
      CachePolicyId: cp.record.id,
      ResponseHeadersPolicyId: rhp.record.id,
    },
  };
  return { s, cp: cp.record, rhp: rhp.record, staging: st.record, stagingConfig };
}

describe("policies and distributions", () => {
  it("§5: staging may name other policies than its primary while a policy is attached", () => {
    const { s, staging, stagingConfig } = pairWithStagingPolicies();
    expect(tagOf(updateDistribution(s, staging.id, staging.etag, stagingConfig, ctx()))).toBe("ok");
  });

  it("an unknown policy id in a behaviour is NoSuch…; a referenced policy is in use until released", () => {
    const { s: s0, staging, stagingConfig, cp, rhp } = pairWithStagingPolicies();
    const unknown = (
      member: "CachePolicyId" | "OriginRequestPolicyId" | "ResponseHeadersPolicyId",
    ): DistributionConfig => {
      const def = stagingConfig.DefaultCacheBehavior ?? { TargetOriginId: "o", ViewerProtocolPolicy: "allow-all" };
      return { ...stagingConfig, DefaultCacheBehavior: { ...def, [member]: "not-a-policy" } };
    };
    expect(tagOf(updateDistribution(s0, staging.id, staging.etag, unknown("CachePolicyId"), ctx()))).toBe(
      "no-such-cache-policy",
    );
    expect(tagOf(updateDistribution(s0, staging.id, staging.etag, unknown("OriginRequestPolicyId"), ctx()))).toBe(
      "no-such-origin-request-policy",
    );
    expect(tagOf(updateDistribution(s0, staging.id, staging.etag, unknown("ResponseHeadersPolicyId"), ctx()))).toBe(
      "no-such-response-headers-policy",
    );
    const s = applied(s0, must(updateDistribution(s0, staging.id, staging.etag, stagingConfig, ctx())).change);
    expect(tagOf(deleteBehaviorPolicy(s, "cache", cp.id, cp.etag))).toBe("cache-policy-in-use");
    expect(tagOf(deleteBehaviorPolicy(s, "response-headers", rhp.id, rhp.etag))).toBe("response-headers-policy-in-use");
  });

  it("updating a policy changes the published record of every host whose staging uses it", () => {
    const { s: s0, staging, stagingConfig, rhp } = pairWithStagingPolicies();
    const s = applied(s0, must(updateDistribution(s0, staging.id, staging.etag, stagingConfig, ctx())).change);
    const before = compileEdgeConfigs(s, 1);
    const record = before.get("www.pp.test");
    expect(record?.kind === "viewer" ? record.staging?.defaultBehavior.responseHeaders?.set : null).toEqual([
      ["x-arm", "one", true],
    ]);
    const published = new Map([...before].map(([h, r]) => [h, JSON.stringify({ ...r, version: 0 })]));
    const u = must(
      updateBehaviorPolicy(s, "response-headers", rhp.id, rhp.etag, headersPolicy("staging-headers", "two"), ctx()),
    );
    const after = compileEdgeConfigs(applied(s, u.change), 2);
    const plan = planPublish(after, published);
    // The primary's hosts (its domain name and alias) change; the staging host's own record does not.
    expect(plan.puts.map(([host]) => host).sort()).toEqual(
      [...after.keys()].filter((h) => h !== staging.domainName).sort(),
    );
    const changed = after.get("www.pp.test");
    expect(changed?.kind === "viewer" ? changed.staging?.defaultBehavior.responseHeaders?.set : null).toEqual([
      ["x-arm", "two", true],
    ]);
  });
});
