import { describe, expect, it } from "vitest";
import {
  copyDistribution,
  createDistribution,
  updateDistribution,
} from "../../../../src/domain/distribution/operations.js";
import { changedAt, deploymentStatus, type PublishState } from "../../../../src/domain/distribution/status.js";
import { createFunction, publishFunction, updateFunction } from "../../../../src/domain/functions/operations.js";
import { createPolicy, updatePolicy } from "../../../../src/domain/policy/operations.js";
import type { Result } from "../../../../src/domain/result.js";
import type { ControlState, OpContext } from "../../../../src/domain/state.js";
import { applied, config, ctx, emptyState, weight } from "../../store/fixtures.js";

function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`unexpected ${r.error.tag}`);
  return r.value;
}
const at = (iso: string): OpContext => ({ ...ctx(), now: iso });
const T0 = "2026-01-01T00:00:00.000Z";
const T1 = "2026-01-01T00:01:00.000Z";
const ms = (iso: string) => Date.parse(iso);
const published = (asOf: string): PublishState => ({ asOf, recovered: null });

/** A primary and its staging copy (created at T0), a policy naming the staging one, attached at T0. */
function world(): { s: ControlState; primaryId: string; stagingId: string; policyId: string } {
  let s = emptyState();
  const p = must(createDistribution(s, config("st-p"), at(T0)));
  s = applied(s, p.change);
  const st = must(
    copyDistribution(
      s,
      { primaryId: p.record.id, staging: true, ifMatch: undefined, callerReference: "st-s", enabled: true },
      at(T0),
    ),
  );
  s = applied(s, st.change);
  const pol = must(createPolicy(s, weight(st.record.domainName), at(T0)));
  s = applied(s, pol.change);
  const cfg = { ...p.record.config, ContinuousDeploymentPolicyId: pol.record.id };
  s = applied(s, must(updateDistribution(s, p.record.id, p.record.etag, cfg, at(T0))).change);
  return { s, primaryId: p.record.id, stagingId: st.record.id, policyId: pol.record.id };
}

const find = (s: ControlState, id: string) => {
  const d = s.distributions.find((x) => x.id === id);
  if (d === undefined) throw new Error(`no ${id}`);
  return d;
};

describe("Status: InProgress until a publish covered the change and the propagation bound has passed", () => {
  it("counts the bound from the distribution's last change", () => {
    const { s, primaryId } = world();
    const d = find(s, primaryId);
    expect(deploymentStatus(s, d, ms(T0) + 999, 1000, published(T0))).toBe("InProgress");
    expect(deploymentStatus(s, d, ms(T0) + 1000, 1000, published(T0))).toBe("Deployed");
    // With a 0 s bound (local KV), Deployed as soon as KV has it.
    expect(deploymentStatus(s, d, ms(T0), 0, published(T0))).toBe("Deployed");
  });

  it("a change of the attached policy makes the primary InProgress, not its staging distribution", () => {
    const w = world();
    const pol = w.s.policies[0];
    if (pol === undefined) throw new Error("no policy");
    const dns = find(w.s, w.stagingId).domainName;
    const s = applied(w.s, must(updatePolicy(w.s, w.policyId, pol.etag, weight(dns, 0.15), at(T1))).change);
    expect(changedAt(s, find(s, w.primaryId))).toBe(T1);
    expect(changedAt(s, find(s, w.stagingId))).toBe(T0);
    expect(deploymentStatus(s, find(s, w.primaryId), ms(T1) + 10, 1000, published(T1))).toBe("InProgress");
    expect(deploymentStatus(s, find(s, w.stagingId), ms(T1) + 10, 1000, published(T1))).toBe("Deployed");
  });

  it("a change of the staging distribution makes its primary InProgress too", () => {
    const w = world();
    const st = find(w.s, w.stagingId);
    const s = applied(
      w.s,
      must(updateDistribution(w.s, st.id, st.etag, { ...st.config, Comment: "candidate" }, at(T1))).change,
    );
    expect(changedAt(s, find(s, w.primaryId))).toBe(T1);
  });

  it("publishing a new LIVE version of a function staging associates makes staging and its primary InProgress", () => {
    const w = world();
    const code = (v: string) => ({
      config: { Comment: "", Runtime: "cloudfront-js-2.0" as const },
      code: btoa(`function handler(e) { return e.request; } // ${v}`),
    });
    let s = w.s;
    const fn = must(createFunction(s, "rewrite", code("v1"), at(T0)));
    s = applied(s, fn.change);
    s = applied(s, must(publishFunction(s, "rewrite", fn.record.development.etag, at(T0))).change);
    const st = find(s, w.stagingId);
    const dcb = { ...st.config.DefaultCacheBehavior, TargetOriginId: "o", ViewerProtocolPolicy: "allow-all" as const };
    const associated = {
      ...st.config,
      DefaultCacheBehavior: {
        ...dcb,
        FunctionAssociations: {
          Quantity: 1,
          Items: [
            { FunctionARN: "arn:aws:cloudfront::123456789012:function/rewrite", EventType: "viewer-request" as const },
          ],
        },
      },
    };
    s = applied(s, must(updateDistribution(s, st.id, st.etag, associated, at(T0))).change);
    expect(changedAt(s, find(s, w.primaryId))).toBe(T0);
    // A DEVELOPMENT change reaches no viewer: nothing to deploy.
    const v2 = must(updateFunction(s, "rewrite", fn.record.development.etag, code("v2"), at(T1)));
    s = applied(s, v2.change);
    expect(changedAt(s, find(s, w.stagingId))).toBe(T0);
    const T2 = "2026-01-01T00:02:00.000Z";
    s = applied(s, must(publishFunction(s, "rewrite", v2.record.development.etag, at(T2))).change);
    expect(changedAt(s, find(s, w.stagingId))).toBe(T2);
    expect(changedAt(s, find(s, w.primaryId))).toBe(T2);
    expect(deploymentStatus(s, find(s, w.primaryId), ms(T2) + 10, 1000, published(T2))).toBe("InProgress");
  });

  it("stays InProgress while no publish has covered the change, and counts from KV's recovery", () => {
    const { s, primaryId } = world();
    const d = find(s, primaryId);
    // KV failed since before T0: nothing published covers the change, however long ago it was.
    expect(deploymentStatus(s, d, ms(T1), 1000, { asOf: "2025-12-31T00:00:00.000Z", recovered: null })).toBe(
      "InProgress",
    );
    // KV came back at T1 after failing since before T0: the bound counts from T1.
    const kv: PublishState = { asOf: T1, recovered: { from: "2025-12-31T00:00:00.000Z", at: T1 } };
    expect(deploymentStatus(s, d, ms(T1) + 500, 1000, kv)).toBe("InProgress");
    expect(deploymentStatus(s, d, ms(T1) + 1000, 1000, kv)).toBe("Deployed");
    // A change published before that outage is not held back by the recovery.
    const before: PublishState = { asOf: T1, recovered: { from: T0, at: T1 } };
    expect(deploymentStatus(s, d, ms(T1) + 500, 1000, before)).toBe("Deployed");
    // Never published at all (a store from before Status was tracked): InProgress.
    expect(deploymentStatus(s, d, ms(T1), 0, { asOf: "", recovered: null })).toBe("InProgress");
  });
});
