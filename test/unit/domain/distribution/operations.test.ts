import { describe, expect, it } from "vitest";
import {
  copyDistribution,
  createDistribution,
  deleteDistribution,
  updateDistribution,
} from "../../../../src/domain/distribution/operations.js";
import { promoteStaging } from "../../../../src/domain/distribution/promote.js";
import { createPolicy } from "../../../../src/domain/policy/operations.js";
import type { DomainError, Result } from "../../../../src/domain/result.js";
import type { ControlState, DistributionRecord, PolicyRecord } from "../../../../src/domain/state.js";
import { applied, config, ctx, emptyState, weight } from "../../store/fixtures.js";

function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`unexpected ${r.error.tag}`);
  return r.value;
}
const tagOf = (r: Result<unknown>): DomainError["tag"] | "ok" => (r.ok ? "ok" : r.error.tag);

/** A primary, its staging copy and a policy naming the staging distribution (not attached). */
function world(): { s: ControlState; primary: DistributionRecord; staging: DistributionRecord; policy: PolicyRecord } {
  const c = ctx();
  let s = emptyState();
  const p = must(createDistribution(s, config("p"), c));
  s = applied(s, p.change);
  const st = must(
    copyDistribution(
      s,
      { primaryId: p.record.id, staging: true, ifMatch: p.record.etag, callerReference: "s", enabled: true },
      c,
    ),
  );
  s = applied(s, st.change);
  const pol = must(createPolicy(s, weight(st.record.domainName), c));
  s = applied(s, pol.change);
  return { s, primary: p.record, staging: st.record, policy: pol.record };
}

describe("create and copy", () => {
  it("ids and domain names have CloudFront's shapes", () => {
    const { primary, staging } = world();
    expect(primary.domainName).toMatch(/^d\d{13}\.test\.localhost$/);
    expect(staging.config.Staging).toBe(true);
    expect(staging.config.Aliases).toEqual({ Quantity: 0 });
  });

  it("refuses a policy id at creation, a reused CallerReference and a taken alias", () => {
    const { s } = world();
    expect(tagOf(createDistribution(s, config("n", { ContinuousDeploymentPolicyId: "x" }), ctx()))).toBe(
      "invalid-argument",
    );
    expect(tagOf(createDistribution(s, config("p"), ctx()))).toBe("distribution-already-exists");
    const withAlias = config("a", { Aliases: { Quantity: 1, Items: ["www.example.test"] } });
    const s2 = applied(s, must(createDistribution(s, withAlias, ctx())).change);
    const again = config("b", { Aliases: { Quantity: 1, Items: ["WWW.example.test"] } });
    expect(tagOf(createDistribution(s2, again, ctx()))).toBe("cname-already-exists");
  });

  it("copy needs Staging: true and a primary", () => {
    const { s, primary, staging } = world();
    const req = { primaryId: primary.id, staging: false, ifMatch: undefined, callerReference: "c", enabled: undefined };
    expect(tagOf(copyDistribution(s, req, ctx()))).toBe("invalid-argument");
    expect(tagOf(copyDistribution(s, { ...req, staging: true, primaryId: staging.id }, ctx()))).toBe(
      "invalid-argument",
    );
    expect(tagOf(copyDistribution(s, { ...req, staging: true, ifMatch: "stale" }, ctx()))).toBe("precondition-failed");
  });
});

describe("update: attach only by update", () => {
  it("attaches, keeps when the id is omitted, detaches when it is empty", () => {
    const { s, primary, policy } = world();
    const attached = must(
      updateDistribution(
        s,
        primary.id,
        primary.etag,
        { ...primary.config, ContinuousDeploymentPolicyId: policy.id },
        ctx(),
      ),
    );
    expect(attached.record.config.ContinuousDeploymentPolicyId).toBe(policy.id);
    const s2 = applied(s, attached.change);
    const { ContinuousDeploymentPolicyId: _omit, ...withoutId } = attached.record.config;
    const kept = must(updateDistribution(s2, primary.id, attached.record.etag, withoutId, ctx()));
    expect(kept.record.config.ContinuousDeploymentPolicyId).toBe(policy.id);
    const s3 = applied(s2, kept.change);
    const detached = must(
      updateDistribution(s3, primary.id, kept.record.etag, { ...withoutId, ContinuousDeploymentPolicyId: "" }, ctx()),
    );
    expect(detached.record.config.ContinuousDeploymentPolicyId).toBe("");
  });

  it("one primary per policy; unknown policy; no HTTP/3 under a policy", () => {
    const { s, primary, policy } = world();
    const s2 = applied(
      s,
      must(
        updateDistribution(
          s,
          primary.id,
          primary.etag,
          { ...primary.config, ContinuousDeploymentPolicyId: policy.id },
          ctx(),
        ),
      ).change,
    );
    const other = must(createDistribution(s2, config("o"), ctx()));
    const s3 = applied(s2, other.change);
    const attach = (id: string) => ({ ...other.record.config, ContinuousDeploymentPolicyId: id });
    expect(tagOf(updateDistribution(s3, other.record.id, other.record.etag, attach(policy.id), ctx()))).toBe(
      "policy-in-use",
    );
    expect(tagOf(updateDistribution(s3, other.record.id, other.record.etag, attach("nope"), ctx()))).toBe(
      "no-such-policy",
    );
    const p = s3.distributions.find((d) => d.id === primary.id);
    if (p === undefined) throw new Error("primary missing");
    expect(tagOf(updateDistribution(s3, p.id, p.etag, { ...p.config, HttpVersion: "http2and3" }, ctx()))).toBe(
      "invalid-argument",
    );
  });

  it("If-Match: missing → invalid-if-match, stale → precondition-failed; CallerReference and Staging are fixed", () => {
    const { s, primary } = world();
    expect(tagOf(updateDistribution(s, primary.id, undefined, primary.config, ctx()))).toBe("invalid-if-match");
    expect(tagOf(updateDistribution(s, primary.id, "old", primary.config, ctx()))).toBe("precondition-failed");
    expect(tagOf(updateDistribution(s, primary.id, `"${primary.etag}"`, primary.config, ctx()))).toBe("ok");
    expect(
      tagOf(updateDistribution(s, primary.id, primary.etag, { ...primary.config, CallerReference: "x" }, ctx())),
    ).toBe("illegal-update");
    expect(tagOf(updateDistribution(s, primary.id, primary.etag, { ...primary.config, Staging: true }, ctx()))).toBe(
      "illegal-update",
    );
  });

  it("a staging distribution a policy names cannot be disabled or deleted", () => {
    const { s, staging } = world();
    expect(tagOf(updateDistribution(s, staging.id, staging.etag, { ...staging.config, Enabled: false }, ctx()))).toBe(
      "staging-in-use",
    );
    const disabled = { ...staging, config: { ...staging.config, Enabled: false } };
    const s2 = { ...s, distributions: s.distributions.map((d) => (d.id === staging.id ? disabled : d)) };
    expect(tagOf(deleteDistribution(s2, staging.id, staging.etag))).toBe("staging-in-use");
  });

  it("delete needs a disabled distribution", () => {
    const { s, primary } = world();
    expect(tagOf(deleteDistribution(s, primary.id, primary.etag))).toBe("distribution-not-disabled");
    expect(tagOf(deleteDistribution(s, "E404", "x"))).toBe("no-such-distribution");
  });
});

describe("promote", () => {
  it("copies staging's config, keeps the primary's identity, switches the policy off with a session reset", () => {
    const { s, primary, staging, policy } = world();
    const aliased = {
      ...primary.config,
      Aliases: { Quantity: 1, Items: ["www.example.test"] },
      ContinuousDeploymentPolicyId: policy.id,
    };
    const a = must(updateDistribution(s, primary.id, primary.etag, aliased, ctx()));
    let s2 = applied(s, a.change);
    const candidate = { ...staging.config, Comment: "candidate", DefaultRootObject: "index.html" };
    const u = must(updateDistribution(s2, staging.id, staging.etag, candidate, ctx()));
    s2 = applied(s2, u.change);
    expect(tagOf(promoteStaging(s2, primary.id, staging.id, `${a.record.etag},${staging.etag}`, ctx()))).toBe(
      "precondition-failed",
    );
    expect(tagOf(promoteStaging(s2, primary.id, staging.id, a.record.etag, ctx()))).toBe("invalid-if-match");
    const r = must(promoteStaging(s2, primary.id, staging.id, `${a.record.etag}, ${u.record.etag}`, ctx()));
    expect(r.record.id).toBe(primary.id);
    expect(r.record.domainName).toBe(primary.domainName);
    expect(r.record.config).toMatchObject({
      Comment: "candidate",
      DefaultRootObject: "index.html",
      CallerReference: "p",
      Aliases: { Quantity: 1, Items: ["www.example.test"] },
      ContinuousDeploymentPolicyId: policy.id,
      Staging: false,
    });
    const off = r.change.putPolicies[0];
    expect(off?.config.Enabled).toBe(false);
    expect(off?.epoch).toBe(policy.epoch + 1);
  });

  it("needs a policy on the primary that names the staging distribution", () => {
    const { s, primary, staging } = world();
    expect(tagOf(promoteStaging(s, primary.id, staging.id, `${primary.etag}, ${staging.etag}`, ctx()))).toBe(
      "invalid-argument",
    );
  });
});
