import { describe, expect, it } from "vitest";
import { createDistribution, updateDistribution } from "../../../../src/domain/distribution/operations.js";
import {
  checkFunctionAssociations,
  MAX_DISTRIBUTIONS_PER_FUNCTION,
} from "../../../../src/domain/functions/associations.js";
import {
  createFunction,
  deleteFunction,
  describeFunction,
  listFunctions,
  publishFunction,
  updateFunction,
} from "../../../../src/domain/functions/operations.js";
import type { FunctionRecord } from "../../../../src/domain/functions/types.js";
import type { Result } from "../../../../src/domain/result.js";
import type { ControlState, DistributionRecord } from "../../../../src/domain/state.js";
import { compileEdgeConfigs } from "../../../../src/store/compile.js";
import { config, ctx, emptyState } from "../../store/fixtures.js";

const b64 = (s: string) => btoa(s);
const input = (code: string, comment = "") => ({
  config: { Comment: comment, Runtime: "cloudfront-js-2.0" as const },
  code: b64(code),
});
const CODE = "function handler(e) { return e.request; }";

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value;
}

function withFunction(s: ControlState, f: FunctionRecord): ControlState {
  return { ...s, functions: [...(s.functions ?? []).filter((x) => x.name !== f.name), f] };
}

const arn = (name: string) => `arn:aws:cloudfront::123456789012:function/${name}`;

function distributionWith(name: string, event = "viewer-request"): DistributionRecord {
  const cfg = config("ref-fn");
  cfg.DefaultCacheBehavior = {
    ...cfg.DefaultCacheBehavior,
    TargetOriginId: "o",
    ViewerProtocolPolicy: "allow-all",
    FunctionAssociations: { Quantity: 1, Items: [{ FunctionARN: arn(name), EventType: event as "viewer-request" }] },
  };
  return {
    id: "EDIST",
    etag: "EDISTETAG",
    domainName: "d1.test.localhost",
    lastModified: "",
    seq: 1,
    config: { ...cfg, Enabled: true },
  };
}

describe("function operations", () => {
  it("create, update, publish: DEVELOPMENT and LIVE stages, LIVE taking the published version's ETag", () => {
    let s = emptyState();
    const created = value(createFunction(s, "fn", input(CODE), ctx()));
    s = withFunction(s, created.record);
    expect(created.change.putFunctions).toEqual([created.record]);
    expect(created.record.live).toBeNull();
    expect(describeFunction(s, "fn", "LIVE")).toEqual({ ok: false, error: { tag: "no-such-function", name: "fn" } });

    expect(updateFunction(s, "fn", "WRONG", input(CODE), ctx())).toEqual({
      ok: false,
      error: { tag: "precondition-failed" },
    });
    expect(updateFunction(s, "fn", undefined, input(CODE), ctx())).toMatchObject({
      ok: false,
      error: { tag: "invalid-if-match" },
    });
    const updated = value(
      updateFunction(
        s,
        "fn",
        created.record.development.etag,
        input("function handler(e) { return e.request; } // v2"),
        ctx(),
      ),
    );
    s = withFunction(s, updated.record);
    expect(updated.record.development.etag).not.toBe(created.record.development.etag);

    const published = value(publishFunction(s, "fn", updated.record.development.etag, ctx()));
    s = withFunction(s, published.record);
    const live = value(describeFunction(s, "fn", "LIVE"));
    expect(live.version.code).toBe(updated.record.development.code);
    // LIVE is the published DEVELOPMENT version, with its ETag; DEVELOPMENT keeps its own.
    expect(live.version.etag).toBe(updated.record.development.etag);
    expect(value(describeFunction(s, "fn", "DEVELOPMENT")).version.etag).toBe(updated.record.development.etag);
    expect(listFunctions(s, "LIVE").map((f) => f.stage)).toEqual(["LIVE"]);
    expect(listFunctions(s, undefined).map((f) => f.stage)).toEqual(["DEVELOPMENT", "LIVE"]);
  });

  it("refuses bad names, duplicates, empty or oversized code and key value stores", () => {
    const s = withFunction(emptyState(), value(createFunction(emptyState(), "fn", input(CODE), ctx())).record);
    expect(createFunction(s, "bad name", input(CODE), ctx())).toMatchObject({
      ok: false,
      error: { tag: "invalid-argument" },
    });
    expect(createFunction(s, "fn", input(CODE), ctx())).toEqual({
      ok: false,
      error: { tag: "function-already-exists", name: "fn" },
    });
    expect(createFunction(s, "big", input("x".repeat(10_241)), ctx())).toEqual({
      ok: false,
      error: { tag: "function-size-limit", limit: 10_240 },
    });
    expect(createFunction(s, "fits", input("x".repeat(10_240)), ctx()).ok).toBe(true);
    expect(createFunction(s, "empty", input(""), ctx())).toMatchObject({
      ok: false,
      error: { tag: "invalid-argument" },
    });
    const kvs = {
      ...input(CODE),
      config: {
        ...input(CODE).config,
        KeyValueStoreAssociations: { Quantity: 1, Items: [{ KeyValueStoreARN: "arn:x" }] },
      },
    };
    expect(createFunction(s, "kvs", kvs, ctx())).toMatchObject({ ok: false, error: { tag: "unsupported-operation" } });
  });

  it("associations name existing, published functions, one per viewer event type; delete waits until none", () => {
    let s = emptyState();
    const created = value(createFunction(s, "fn", input(CODE), ctx())).record;
    s = withFunction(s, created);
    const d = distributionWith("fn");
    expect(checkFunctionAssociations(d.config, s.functions ?? [])).toMatchObject({
      ok: false,
      error: { tag: "invalid-function-association" },
    });
    expect(checkFunctionAssociations(distributionWith("other").config, s.functions ?? [])).toEqual({
      ok: false,
      error: { tag: "no-such-function", name: "other" },
    });
    s = withFunction(s, value(publishFunction(s, "fn", created.development.etag, ctx())).record);
    expect(checkFunctionAssociations(d.config, s.functions ?? [])).toEqual({ ok: true, value: true });
    expect(checkFunctionAssociations(distributionWith("fn", "origin-request").config, s.functions ?? [])).toMatchObject(
      {
        ok: false,
        error: { tag: "invalid-function-association" },
      },
    );
    s = { ...s, distributions: [d] };
    expect(deleteFunction(s, "fn", created.development.etag)).toEqual({
      ok: false,
      error: { tag: "function-in-use", name: "fn" },
    });
    expect(value(describeFunction(s, "fn", "LIVE")).associated).toBe(true);
    expect(deleteFunction({ ...s, distributions: [] }, "fn", created.development.etag)).toMatchObject({
      ok: true,
      value: { deleteFunctions: ["fn"] },
    });
  });

  it("TooManyDistributionsWithFunctionAssociations: a function is associated with 100 distributions at most", () => {
    let s = emptyState();
    const created = value(createFunction(s, "fn", input(CODE), ctx())).record;
    s = withFunction(s, created);
    s = withFunction(s, value(publishFunction(s, "fn", created.development.etag, ctx())).record);
    const many = (n: number): DistributionRecord[] =>
      Array.from({ length: n }, (_, i) => {
        const d = distributionWith("fn");
        return {
          ...d,
          id: `E${i}`,
          domainName: `d${i}.test.localhost`,
          config: { ...d.config, CallerReference: `r${i}` },
        };
      });
    const fresh = { ...distributionWith("fn").config, CallerReference: "one-more" };
    // One short of the quota: the next association is accepted.
    const below = { ...s, distributions: many(MAX_DISTRIBUTIONS_PER_FUNCTION - 1) };
    expect(createDistribution(below, fresh, ctx()).ok).toBe(true);
    // At the quota: refused, with the code CloudFront uses; a distribution already counted may still be updated.
    const full = { ...s, distributions: many(MAX_DISTRIBUTIONS_PER_FUNCTION) };
    expect(createDistribution(full, fresh, ctx())).toMatchObject({
      ok: false,
      error: { tag: "too-many-distributions-with-function-associations" },
    });
    const first = full.distributions[0];
    if (first === undefined) throw new Error("no distribution");
    const again = { ...first.config, Comment: "still fine" };
    expect(updateDistribution(full, first.id, first.etag, again, ctx()).ok).toBe(true);
    // A distribution without the function is not held by its quota.
    const plain = structuredClone(fresh);
    if (plain.DefaultCacheBehavior !== undefined) plain.DefaultCacheBehavior.FunctionAssociations = { Quantity: 0 };
    expect(createDistribution(full, plain, ctx()).ok).toBe(true);
  });

  it("compiles the LIVE code into the associating behaviour, and leaves other behaviours without a functions member", () => {
    let s = emptyState();
    const created = value(createFunction(s, "fn", input(CODE), ctx())).record;
    s = withFunction(s, created);
    s = withFunction(s, value(publishFunction(s, "fn", created.development.etag, ctx())).record);
    // A DEVELOPMENT change is not what the edge runs.
    s = withFunction(
      s,
      value(updateFunction(s, "fn", created.development.etag, input("function handler(e) { throw 1; }"), ctx())).record,
    );
    const plain = { ...distributionWith("fn"), id: "EPLAIN", domainName: "d2.test.localhost" };
    plain.config = {
      ...plain.config,
      CallerReference: "plain",
      DefaultCacheBehavior: {
        ...plain.config.DefaultCacheBehavior,
        TargetOriginId: "o",
        ViewerProtocolPolicy: "allow-all",
        FunctionAssociations: { Quantity: 0 },
      },
    };
    s = { ...s, distributions: [distributionWith("fn"), plain] };
    const records = compileEdgeConfigs(s, 1);
    const withFn = records.get("d1.test.localhost");
    const without = records.get("d2.test.localhost");
    if (withFn?.kind !== "viewer" || without?.kind !== "viewer") throw new Error("expected viewer records");
    const live = s.functions?.[0]?.live;
    expect(withFn.primary.defaultBehavior.functions).toEqual({
      viewerRequest: { name: "fn", etag: live?.etag, runtime: "cloudfront-js-2.0", code: CODE },
    });
    expect("functions" in without.primary.defaultBehavior).toBe(false);
  });
});
