import { describe, expect, it } from "vitest";
import { copyDistribution, createDistribution } from "../../../../src/domain/distribution/operations.js";
import { createPolicy, deletePolicy, updatePolicy } from "../../../../src/domain/policy/operations.js";
import type { Result } from "../../../../src/domain/result.js";
import type { ControlState } from "../../../../src/domain/state.js";
import { applied, config, ctx, emptyState, weight } from "../../store/fixtures.js";

function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`unexpected ${r.error.tag}`);
  return r.value;
}
const tagOf = (r: Result<unknown>) => (r.ok ? "ok" : r.error.tag);

function withStaging(n: number): { s: ControlState; dns: string[] } {
  let s = emptyState();
  const c = ctx();
  const p = must(createDistribution(s, config("p"), c));
  s = applied(s, p.change);
  const dns: string[] = [];
  for (let i = 0; i < n; i++) {
    const st = must(
      copyDistribution(
        s,
        { primaryId: p.record.id, staging: true, ifMatch: undefined, callerReference: `s${i}`, enabled: true },
        c,
      ),
    );
    s = applied(s, st.change);
    dns.push(st.record.domainName);
  }
  return { s, dns };
}

describe("policy operations against the state", () => {
  it("the staging name must be a staging distribution, used by one policy only", () => {
    const { s, dns } = withStaging(1);
    const d = dns[0] ?? "";
    expect(tagOf(createPolicy(s, weight("nowhere.example"), ctx()))).toBe("invalid-argument");
    const primaryDns = s.distributions[0]?.domainName ?? "";
    expect(tagOf(createPolicy(s, weight(primaryDns), ctx()))).toBe("invalid-argument");
    const s2 = applied(s, must(createPolicy(s, weight(d), ctx())).change);
    expect(tagOf(createPolicy(s2, weight(d), ctx()))).toBe("policy-already-exists");
    expect(tagOf(createPolicy(s2, weight(d.toUpperCase(), 0.05), ctx()))).toBe("staging-in-use");
  });

  it("20 policies at most", () => {
    const { s, dns } = withStaging(20);
    let st = s;
    for (const d of dns) st = applied(st, must(createPolicy(st, weight(d), ctx())).change);
    expect(tagOf(createPolicy(st, weight(dns[0] ?? "", 0.01), ctx()))).toBe("too-many-policies");
  });

  it("update rotates the ETag and bumps the epoch only on enable/disable or stickiness on/off", () => {
    const { s, dns } = withStaging(1);
    const d = dns[0] ?? "";
    const created = must(createPolicy(s, weight(d), ctx()));
    const s2 = applied(s, created.change);
    const w = must(updatePolicy(s2, created.record.id, created.record.etag, weight(d, 0.15), ctx()));
    expect(w.record.etag).not.toBe(created.record.etag);
    expect(w.record.epoch).toBe(created.record.epoch);
    const off = must(updatePolicy(s2, created.record.id, created.record.etag, weight(d, 0.1, false), ctx()));
    expect(off.record.epoch).toBe(created.record.epoch + 1);
    expect(tagOf(updatePolicy(s2, created.record.id, "stale", weight(d), ctx()))).toBe("precondition-failed");
    expect(tagOf(updatePolicy(s2, "missing", "x", weight(d), ctx()))).toBe("no-such-policy");
  });

  it("an attached policy cannot switch to a staging distribution that does not suit the primary", () => {
    const { s, dns } = withStaging(2);
    const [first = "", second = ""] = dns;
    const created = must(createPolicy(s, weight(first), ctx()));
    let st = applied(s, created.change);
    const primary = st.distributions[0];
    if (primary === undefined) throw new Error("no primary");
    st = {
      ...st,
      distributions: st.distributions.map((d) =>
        d.id === primary.id ? { ...d, config: { ...d.config, ContinuousDeploymentPolicyId: created.record.id } } : d,
      ),
    };
    st = {
      ...st,
      distributions: st.distributions.map((d) =>
        d.domainName === second ? { ...d, config: { ...d.config, HttpVersion: "http3" as const } } : d,
      ),
    };
    expect(tagOf(updatePolicy(st, created.record.id, created.record.etag, weight(second), ctx()))).toBe(
      "invalid-argument",
    );
    expect(tagOf(updatePolicy(st, created.record.id, created.record.etag, weight(first, 0.05), ctx()))).toBe("ok");
  });

  it("delete refuses an attached policy", () => {
    const { s, dns } = withStaging(1);
    const created = must(createPolicy(s, weight(dns[0] ?? ""), ctx()));
    const s2 = applied(s, created.change);
    expect(tagOf(deletePolicy(s2, created.record.id, created.record.etag))).toBe("ok");
    const primary = s2.distributions[0];
    if (primary === undefined) throw new Error("no primary");
    const s3 = {
      ...s2,
      distributions: s2.distributions.map((d) =>
        d.id === primary.id ? { ...d, config: { ...d.config, ContinuousDeploymentPolicyId: created.record.id } } : d,
      ),
    };
    expect(tagOf(deletePolicy(s3, created.record.id, created.record.etag))).toBe("policy-in-use");
  });
});
