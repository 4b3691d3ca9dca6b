import { describe, expect, it } from "vitest";
import { changedOutsideSection5 } from "../../../../src/domain/distribution/continuous-deployment.js";
import {
  copyDistribution,
  createDistribution,
  updateDistribution,
} from "../../../../src/domain/distribution/operations.js";
import type { DistributionConfig } from "../../../../src/domain/distribution/types.js";
import { createPolicy } from "../../../../src/domain/policy/operations.js";
import type { Result } from "../../../../src/domain/result.js";
import type { ControlState, DistributionRecord } from "../../../../src/domain/state.js";
import { applied, config, ctx, emptyState, weight } from "../../store/fixtures.js";

function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`unexpected ${r.error.tag}`);
  return r.value;
}
const tagOf = (r: Result<unknown>) => (r.ok ? "ok" : r.error.tag);

const behaviors = (...patterns: string[]): Partial<DistributionConfig> => ({
  CacheBehaviors: {
    Quantity: patterns.length,
    Items: patterns.map((p) => ({
      PathPattern: p,
      TargetOriginId: "o",
      ViewerProtocolPolicy: "allow-all",
      CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
    })),
  },
});

/** A primary with /a/* and /b/*, its staging copy, a policy, attached. */
function attached(): { s: ControlState; primary: DistributionRecord; staging: DistributionRecord } {
  let s = emptyState();
  const p = must(createDistribution(s, config("p5", behaviors("/a/*", "/b/*")), ctx()));
  s = applied(s, p.change);
  const st = must(
    copyDistribution(
      s,
      { primaryId: p.record.id, staging: true, ifMatch: undefined, callerReference: "s5", enabled: true },
      ctx(),
    ),
  );
  s = applied(s, st.change);
  const pol = must(createPolicy(s, weight(st.record.domainName), ctx()));
  s = applied(s, pol.change);
  const a = must(
    updateDistribution(
      s,
      p.record.id,
      p.record.etag,
      { ...p.record.config, ContinuousDeploymentPolicyId: pol.record.id },
      ctx(),
    ),
  );
  s = applied(s, a.change);
  return { s, primary: a.record, staging: st.record };
}

describe("§5: what may change while a policy is attached", () => {
  it("§5 settings may change on either side", () => {
    const { s, primary, staging } = attached();
    const candidate = {
      ...staging.config,
      Comment: "new",
      DefaultRootObject: "index.html",
      Restrictions: { GeoRestriction: { RestrictionType: "blacklist" as const, Quantity: 1, Items: ["KP"] } },
      Logging: { Enabled: false, IncludeCookies: false, Bucket: "", Prefix: "" },
      ...behaviors("/a/*"),
    };
    expect(tagOf(updateDistribution(s, staging.id, staging.etag, candidate, ctx()))).toBe("ok");
    expect(tagOf(updateDistribution(s, primary.id, primary.etag, { ...primary.config, Comment: "x" }, ctx()))).toBe(
      "ok",
    );
  });

  it("anything else is IllegalUpdate, on the primary and on the staging distribution", () => {
    const { s, primary, staging } = attached();
    expect(
      tagOf(
        updateDistribution(s, primary.id, primary.etag, { ...primary.config, PriceClass: "PriceClass_100" }, ctx()),
      ),
    ).toBe("illegal-update");
    expect(
      tagOf(updateDistribution(s, staging.id, staging.etag, { ...staging.config, IsIPV6Enabled: false }, ctx())),
    ).toBe("illegal-update");
    const aliases = { ...primary.config, Aliases: { Quantity: 1, Items: ["new.example.test"] } };
    expect(tagOf(updateDistribution(s, primary.id, primary.etag, aliases, ctx()))).toBe("illegal-update");
  });

  it("staging path patterns must be the same as, or a subset of, the primary's", () => {
    const { s, primary, staging } = attached();
    expect(
      tagOf(updateDistribution(s, staging.id, staging.etag, { ...staging.config, ...behaviors("/c/*") }, ctx())),
    ).toBe("illegal-update");
    expect(
      tagOf(updateDistribution(s, primary.id, primary.etag, { ...primary.config, ...behaviors("/a/*") }, ctx())),
    ).toBe("illegal-update");
    expect(
      tagOf(
        updateDistribution(
          s,
          primary.id,
          primary.etag,
          { ...primary.config, ...behaviors("/a/*", "/b/*", "/z/*") },
          ctx(),
        ),
      ),
    ).toBe("ok");
  });

  it("attaching needs a pair that differs only in §5 settings", () => {
    let s = emptyState();
    const p = must(createDistribution(s, config("p6"), ctx()));
    s = applied(s, p.change);
    const st = must(
      copyDistribution(
        s,
        { primaryId: p.record.id, staging: true, ifMatch: undefined, callerReference: "s6", enabled: false },
        ctx(),
      ),
    );
    s = applied(s, st.change);
    const changed = must(
      updateDistribution(s, st.record.id, st.record.etag, { ...st.record.config, PriceClass: "PriceClass_200" }, ctx()),
    );
    s = applied(s, changed.change);
    const pol = must(createPolicy(s, weight(st.record.domainName), ctx()));
    s = applied(s, pol.change);
    const attach = { ...p.record.config, ContinuousDeploymentPolicyId: pol.record.id };
    expect(tagOf(updateDistribution(s, p.record.id, p.record.etag, attach, ctx()))).toBe("illegal-update");
    // Same PriceClass on the primary in the same update: the pair now matches (Enabled may differ).
    expect(
      tagOf(updateDistribution(s, p.record.id, p.record.etag, { ...attach, PriceClass: "PriceClass_200" }, ctx())),
    ).toBe("ok");
  });

  it("detaching lifts the restriction", () => {
    const { s, primary } = attached();
    const r = updateDistribution(
      s,
      primary.id,
      primary.etag,
      { ...primary.config, ContinuousDeploymentPolicyId: "", PriceClass: "PriceClass_100" },
      ctx(),
    );
    expect(tagOf(r)).toBe("ok");
  });

  it("compares members by value", () => {
    const a = config("x");
    expect(changedOutsideSection5(a, structuredClone(a))).toEqual([]);
    expect(changedOutsideSection5(a, { ...a, Comment: "c", HttpVersion: "http2" })).toEqual(["HttpVersion"]);
  });
});
