import { describe, expect, it } from "vitest";
import type { PolicyConfig } from "../../../../src/domain/policy/types.js";
import { resetsSessions } from "../../../../src/domain/policy/types.js";
import { normalizePolicy } from "../../../../src/domain/policy/validate.js";

const weight = (w: number, sticky: [number, number] | null = [300, 600], enabled = true): PolicyConfig => ({
  StagingDistributionDnsNames: { Quantity: 1, Items: ["D1.example"] },
  Enabled: enabled,
  TrafficConfig: {
    Type: "SingleWeight",
    SingleWeightConfig: {
      Weight: w,
      ...(sticky ? { SessionStickinessConfig: { IdleTTL: sticky[0], MaximumTTL: sticky[1] } } : {}),
    },
  },
});
const header = (h: string, v: string): PolicyConfig => ({
  StagingDistributionDnsNames: { Quantity: 1, Items: ["d1.example"] },
  Enabled: true,
  TrafficConfig: { Type: "SingleHeader", SingleHeaderConfig: { Header: h, Value: v } },
});

const valid = (c: PolicyConfig) => normalizePolicy(c).ok;

describe("policy rules (reference §3)", () => {
  it("weight 0..0.15", () => {
    expect([0, 0.1, 0.15].map((w) => valid(weight(w)))).toEqual([true, true, true]);
    expect([-0.01, 0.1500001, 1].map((w) => valid(weight(w)))).toEqual([false, false, false]);
  });

  it("300 <= IdleTTL <= MaximumTTL <= 3600", () => {
    expect(valid(weight(0.1, [300, 3600]))).toBe(true);
    expect(valid(weight(0.1, [299, 600]))).toBe(false);
    expect(valid(weight(0.1, [700, 600]))).toBe(false);
    expect(valid(weight(0.1, [300, 3601]))).toBe(false);
    expect(valid(weight(0.1, null))).toBe(true);
  });

  it("header: aws-cf-cd- prefix, <= 256 chars, a token; value 1..1783 chars", () => {
    expect(valid(header("aws-cf-cd-test", "blue"))).toBe(true);
    expect(valid(header("AWS-CF-CD-Test", "blue"))).toBe(true);
    expect(valid(header("x-test", "blue"))).toBe(false);
    expect(valid(header(`aws-cf-cd-${"a".repeat(247)}`, "v"))).toBe(false);
    expect(valid(header("aws-cf-cd-a b", "v"))).toBe(false);
    expect(valid(header("aws-cf-cd-t", ""))).toBe(false);
    expect(valid(header("aws-cf-cd-t", "v".repeat(1783)))).toBe(true);
    expect(valid(header("aws-cf-cd-t", "v".repeat(1784)))).toBe(false);
  });

  it("type must match exactly one sub-config", () => {
    const both = weight(0.1);
    both.TrafficConfig = {
      ...both.TrafficConfig,
      Type: "SingleWeight",
      SingleHeaderConfig: { Header: "aws-cf-cd-x", Value: "v" },
    };
    expect(valid(both)).toBe(false);
    expect(
      valid({ ...weight(0.1), TrafficConfig: { Type: "SingleHeader", SingleWeightConfig: { Weight: 0.1 } } }),
    ).toBe(false);
    expect(valid({ ...weight(0.1), TrafficConfig: undefined })).toBe(false);
  });

  it("at least one staging DNS name, lower-cased", () => {
    expect(valid({ ...weight(0.1), StagingDistributionDnsNames: { Quantity: 0 } })).toBe(false);
    const n = normalizePolicy(weight(0.1));
    expect(n.ok && n.value.stagingDnsNames).toEqual(["d1.example"]);
  });
});

describe("session resets (reference §4)", () => {
  const norm = (c: PolicyConfig) => {
    const n = normalizePolicy(c);
    if (!n.ok) throw new Error("invalid");
    return n.value;
  };
  it("enable/disable and stickiness on/off reset; a weight change alone does not", () => {
    expect(resetsSessions(norm(weight(0.1)), norm(weight(0.15)))).toBe(false);
    expect(resetsSessions(norm(weight(0.1)), norm(weight(0.1, [300, 900])))).toBe(false);
    expect(resetsSessions(norm(weight(0.1)), norm(weight(0.1, [300, 600], false)))).toBe(true);
    expect(resetsSessions(norm(weight(0.1)), norm(weight(0.1, null)))).toBe(true);
    expect(resetsSessions(norm(weight(0.1, null)), norm(header("aws-cf-cd-x", "v")))).toBe(false);
  });
});
