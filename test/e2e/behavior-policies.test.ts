/**
 * Cache, origin request and response headers policies through the real AWS SDK: every operation (Create, Get,
 * GetConfig, Update, Delete, List with Type) for each kind, with CloudFront's shapes and ETags, and every error the
 * service model lists for them (plus the references a distribution's behaviours make: NoSuch…, …InUse).
 */
import {
  type CachePolicyConfig,
  CreateCachePolicyCommand,
  CreateDistributionCommand,
  CreateOriginRequestPolicyCommand,
  CreateResponseHeadersPolicyCommand,
  DeleteCachePolicyCommand,
  DeleteDistributionCommand,
  DeleteOriginRequestPolicyCommand,
  DeleteResponseHeadersPolicyCommand,
  GetCachePolicyCommand,
  GetCachePolicyConfigCommand,
  GetDistributionConfigCommand,
  GetOriginRequestPolicyCommand,
  GetOriginRequestPolicyConfigCommand,
  GetResponseHeadersPolicyCommand,
  GetResponseHeadersPolicyConfigCommand,
  ListCachePoliciesCommand,
  ListOriginRequestPoliciesCommand,
  ListResponseHeadersPoliciesCommand,
  type OriginRequestPolicyConfig,
  type ResponseHeadersPolicyConfig,
  UpdateCachePolicyCommand,
  UpdateDistributionCommand,
  UpdateOriginRequestPolicyCommand,
  UpdateResponseHeadersPolicyCommand,
} from "@aws-sdk/client-cloudfront";
import { describe, expect, it } from "vitest";
import { cachePolicy, names, originRequestPolicy, responseHeadersPolicy } from "./helpers/policies.js";
import { CACHING_DISABLED, distributionConfig, expectCloudFrontError, present, ref } from "./helpers/sdk.js";
import { useWorker } from "./helpers/worker.js";

const t = useWorker();
describe("cache policies", () => {
  it("Create, Get, GetConfig, Update, List (managed and custom), Delete, with ETags", async () => {
    const name = ref("cp").replace(/[^A-Za-z0-9_-]/g, "_");
    const created = await t.cf.send(new CreateCachePolicyCommand({ CachePolicyConfig: cachePolicy(name) }));
    expect(created.$metadata.httpStatusCode).toBe(201);
    const id = present(created.CachePolicy?.Id, "id");
    expect(created.Location).toBe(`${t.worker.endpoint}/2020-05-31/cache-policy/${id}`);
    expect(created.CachePolicy?.LastModifiedTime).toBeInstanceOf(Date);
    expect(created.CachePolicy?.CachePolicyConfig).toEqual(cachePolicy(name));

    const got = await t.cf.send(new GetCachePolicyCommand({ Id: id }));
    expect(got.ETag).toBe(created.ETag);
    const config = await t.cf.send(new GetCachePolicyConfigCommand({ Id: id }));
    expect(config.CachePolicyConfig?.Name).toBe(name);

    const updated = await t.cf.send(
      new UpdateCachePolicyCommand({
        Id: id,
        IfMatch: created.ETag,
        CachePolicyConfig: cachePolicy(name, { MinTTL: 0 }),
      }),
    );
    expect(updated.ETag).not.toBe(created.ETag);
    expect(updated.CachePolicy?.CachePolicyConfig?.MinTTL).toBe(0);

    const custom = await t.cf.send(new ListCachePoliciesCommand({ Type: "custom" }));
    expect(custom.CachePolicyList?.Items?.map((s) => [s.Type, s.CachePolicy?.Id])).toContainEqual(["custom", id]);
    const managed = await t.cf.send(new ListCachePoliciesCommand({ Type: "managed" }));
    const managedNames = managed.CachePolicyList?.Items?.map((s) => s.CachePolicy?.CachePolicyConfig?.Name);
    expect(managedNames).toContain("Managed-CachingOptimized");
    expect(managed.CachePolicyList?.Items?.every((s) => s.Type === "managed")).toBe(true);
    const page = await t.cf.send(new ListCachePoliciesCommand({ MaxItems: 2 }));
    expect(page.CachePolicyList?.Items).toHaveLength(2);
    const next = await t.cf.send(
      new ListCachePoliciesCommand({ MaxItems: 2, Marker: page.CachePolicyList?.NextMarker }),
    );
    expect(next.CachePolicyList?.Items?.[0]?.CachePolicy?.Id).not.toBe(
      page.CachePolicyList?.Items?.[0]?.CachePolicy?.Id,
    );

    const opt = await t.cf.send(new GetCachePolicyCommand({ Id: "658327ea-f89d-4fab-a63d-7e88639e58f6" }));
    expect(opt.CachePolicy?.CachePolicyConfig).toMatchObject({ Name: "Managed-CachingOptimized", MinTTL: 1 });

    const deleted = await t.cf.send(new DeleteCachePolicyCommand({ Id: id, IfMatch: updated.ETag }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    await expectCloudFrontError(t.cf.send(new GetCachePolicyCommand({ Id: id })), "NoSuchCachePolicy", 404);
  });

  it("fills CloudFront's default TTLs", async () => {
    const name = ref("ttl").replace(/[^A-Za-z0-9_-]/g, "_");
    const cfg = cachePolicy(name);
    delete cfg.DefaultTTL;
    delete cfg.MaxTTL;
    const r = await t.cf.send(new CreateCachePolicyCommand({ CachePolicyConfig: cfg }));
    expect(r.CachePolicy?.CachePolicyConfig).toMatchObject({ MinTTL: 1, DefaultTTL: 86_400, MaxTTL: 31_536_000 });
    await t.cf.send(new DeleteCachePolicyCommand({ Id: r.CachePolicy?.Id, IfMatch: r.ETag }));
  });

  it("refuses what CloudFront refuses", async () => {
    const send = (cfg: CachePolicyConfig) => t.cf.send(new CreateCachePolicyCommand({ CachePolicyConfig: cfg }));
    const base = cachePolicy(ref("bad").replace(/[^A-Za-z0-9_-]/g, "_"));
    const key = present(base.ParametersInCacheKeyAndForwardedToOrigin, "key");
    await expectCloudFrontError(send({ ...base, MinTTL: 100, DefaultTTL: 10 }), "InvalidArgument", 400);
    await expectCloudFrontError(send({ ...base, Name: "has space" }), "InvalidArgument", 400);
    const many = Array.from({ length: 11 }, (_, i) => `x-h${i}`);
    await expectCloudFrontError(
      send({
        ...base,
        ParametersInCacheKeyAndForwardedToOrigin: {
          ...key,
          HeadersConfig: { HeaderBehavior: "whitelist", Headers: names(...many) },
        },
      }),
      "TooManyHeadersInCachePolicy",
      400,
    );
    await expectCloudFrontError(
      send({
        ...base,
        ParametersInCacheKeyAndForwardedToOrigin: {
          ...key,
          CookiesConfig: { CookieBehavior: "whitelist", Cookies: names(...many) },
        },
      }),
      "TooManyCookiesInCachePolicy",
      400,
    );
    await expectCloudFrontError(
      send({
        ...base,
        ParametersInCacheKeyAndForwardedToOrigin: {
          ...key,
          QueryStringsConfig: { QueryStringBehavior: "allExcept", QueryStrings: names(...many) },
        },
      }),
      "TooManyQueryStringsInCachePolicy",
      400,
    );
    await expectCloudFrontError(
      send({
        ...base,
        ParametersInCacheKeyAndForwardedToOrigin: {
          ...key,
          HeadersConfig: { HeaderBehavior: "whitelist", Headers: names("Accept-Encoding") },
        },
      }),
      "InvalidArgument",
      400,
    );
    await expectCloudFrontError(send({ ...base, MinTTL: 0, DefaultTTL: 0, MaxTTL: 0 }), "InvalidArgument", 400);
    await expectCloudFrontError(send({ ...base, Name: "Managed-CachingOptimized" }), "CachePolicyAlreadyExists", 409);
    const first = await send(base);
    await expectCloudFrontError(send(base), "CachePolicyAlreadyExists", 409);
    const id = present(first.CachePolicy?.Id, "id");
    await expectCloudFrontError(
      t.cf.send(new UpdateCachePolicyCommand({ Id: id, CachePolicyConfig: base })),
      "InvalidIfMatchVersion",
      400,
    );
    await expectCloudFrontError(
      t.cf.send(new UpdateCachePolicyCommand({ Id: id, IfMatch: "ESTALE", CachePolicyConfig: base })),
      "PreconditionFailed",
      412,
    );
    await expectCloudFrontError(
      t.cf.send(new UpdateCachePolicyCommand({ Id: "nope", IfMatch: "E", CachePolicyConfig: base })),
      "NoSuchCachePolicy",
      404,
    );
    await expectCloudFrontError(
      t.cf.send(new UpdateCachePolicyCommand({ Id: CACHING_DISABLED, IfMatch: "E", CachePolicyConfig: base })),
      "IllegalUpdate",
      400,
    );
    await expectCloudFrontError(
      t.cf.send(new DeleteCachePolicyCommand({ Id: CACHING_DISABLED, IfMatch: "E" })),
      "IllegalDelete",
      400,
    );
    await expectCloudFrontError(
      t.cf.send(new ListCachePoliciesCommand({ Type: "nope" as "custom" })),
      "InvalidArgument",
      400,
    );
    await t.cf.send(new DeleteCachePolicyCommand({ Id: id, IfMatch: first.ETag }));
  });

  it("TooManyCachePolicies after 20", async () => {
    const made: { id: string; etag: string }[] = [];
    const existing = (await t.cf.send(new ListCachePoliciesCommand({ Type: "custom" }))).CachePolicyList?.Quantity ?? 0;
    for (let i = existing; i < 20; i++) {
      const r = await t.cf.send(new CreateCachePolicyCommand({ CachePolicyConfig: cachePolicy(`quota-${i}`) }));
      made.push({ id: present(r.CachePolicy?.Id, "id"), etag: present(r.ETag, "etag") });
    }
    await expectCloudFrontError(
      t.cf.send(new CreateCachePolicyCommand({ CachePolicyConfig: cachePolicy("quota-21") })),
      "TooManyCachePolicies",
      400,
    );
    for (const m of made) await t.cf.send(new DeleteCachePolicyCommand({ Id: m.id, IfMatch: m.etag }));
  });
});

describe("origin request policies", () => {
  it("every operation, and its errors", async () => {
    const name = ref("orp").replace(/[^A-Za-z0-9_-]/g, "_");
    const created = await t.cf.send(
      new CreateOriginRequestPolicyCommand({ OriginRequestPolicyConfig: originRequestPolicy(name) }),
    );
    expect(created.$metadata.httpStatusCode).toBe(201);
    const id = present(created.OriginRequestPolicy?.Id, "id");
    expect(created.Location).toContain(`/2020-05-31/origin-request-policy/${id}`);
    const got = await t.cf.send(new GetOriginRequestPolicyCommand({ Id: id }));
    expect(got.OriginRequestPolicy?.OriginRequestPolicyConfig).toEqual(originRequestPolicy(name));
    expect((await t.cf.send(new GetOriginRequestPolicyConfigCommand({ Id: id }))).ETag).toBe(created.ETag);
    const updated = await t.cf.send(
      new UpdateOriginRequestPolicyCommand({
        Id: id,
        IfMatch: created.ETag,
        OriginRequestPolicyConfig: { ...originRequestPolicy(name), Comment: "changed" },
      }),
    );
    expect(updated.OriginRequestPolicy?.OriginRequestPolicyConfig?.Comment).toBe("changed");
    const managed = await t.cf.send(new ListOriginRequestPoliciesCommand({ Type: "managed" }));
    expect(managed.OriginRequestPolicyList?.Items?.map((s) => s.OriginRequestPolicy?.Id)).toContain(
      "216adef6-5c7f-47e4-b989-5492eafa07d3",
    );
    const custom = await t.cf.send(new ListOriginRequestPoliciesCommand({ Type: "custom" }));
    expect(custom.OriginRequestPolicyList?.Items?.map((s) => s.OriginRequestPolicy?.Id)).toEqual([id]);

    const bad = (cfg: OriginRequestPolicyConfig) =>
      t.cf.send(new CreateOriginRequestPolicyCommand({ OriginRequestPolicyConfig: cfg }));
    const many = names(...Array.from({ length: 11 }, (_, i) => `x-h${i}`));
    await expectCloudFrontError(bad(originRequestPolicy(name)), "OriginRequestPolicyAlreadyExists", 409);
    await expectCloudFrontError(
      bad({ ...originRequestPolicy(`${name}x`), HeadersConfig: { HeaderBehavior: "whitelist", Headers: many } }),
      "TooManyHeadersInOriginRequestPolicy",
      400,
    );
    await expectCloudFrontError(
      bad({ ...originRequestPolicy(`${name}x`), CookiesConfig: { CookieBehavior: "whitelist", Cookies: many } }),
      "TooManyCookiesInOriginRequestPolicy",
      400,
    );
    await expectCloudFrontError(
      bad({
        ...originRequestPolicy(`${name}x`),
        QueryStringsConfig: { QueryStringBehavior: "whitelist", QueryStrings: many },
      }),
      "TooManyQueryStringsInOriginRequestPolicy",
      400,
    );
    await expectCloudFrontError(
      bad({
        ...originRequestPolicy(`${name}x`),
        HeadersConfig: { HeaderBehavior: "whitelist", Headers: names("Authorization") },
      }),
      "InvalidArgument",
      400,
    );
    await expectCloudFrontError(
      bad({
        ...originRequestPolicy(`${name}x`),
        HeadersConfig: { HeaderBehavior: "allViewer", Headers: names("x-a") },
      }),
      "InvalidArgument",
      400,
    );
    await expectCloudFrontError(
      t.cf.send(new DeleteOriginRequestPolicyCommand({ Id: "216adef6-5c7f-47e4-b989-5492eafa07d3", IfMatch: "E" })),
      "IllegalDelete",
      400,
    );
    await expectCloudFrontError(
      t.cf.send(new GetOriginRequestPolicyCommand({ Id: "nope" })),
      "NoSuchOriginRequestPolicy",
      404,
    );
    await t.cf.send(new DeleteOriginRequestPolicyCommand({ Id: id, IfMatch: updated.ETag }));
  });
});

describe("response headers policies", () => {
  it("every operation, and its errors", async () => {
    const name = ref("rhp").replace(/[^A-Za-z0-9_-]/g, "_");
    const created = await t.cf.send(
      new CreateResponseHeadersPolicyCommand({ ResponseHeadersPolicyConfig: responseHeadersPolicy(name) }),
    );
    const id = present(created.ResponseHeadersPolicy?.Id, "id");
    expect(created.ResponseHeadersPolicy?.ResponseHeadersPolicyConfig).toEqual(responseHeadersPolicy(name));
    expect((await t.cf.send(new GetResponseHeadersPolicyCommand({ Id: id }))).ETag).toBe(created.ETag);
    const cfg = await t.cf.send(new GetResponseHeadersPolicyConfigCommand({ Id: id }));
    expect(cfg.ResponseHeadersPolicyConfig?.ServerTimingHeadersConfig?.SamplingRate).toBe(12.5);
    const managed = await t.cf.send(new ListResponseHeadersPoliciesCommand({ Type: "managed" }));
    expect(
      managed.ResponseHeadersPolicyList?.Items?.map((s) => s.ResponseHeadersPolicy?.ResponseHeadersPolicyConfig?.Name),
    ).toContain("Managed-SecurityHeadersPolicy");
    const updated = await t.cf.send(
      new UpdateResponseHeadersPolicyCommand({
        Id: id,
        IfMatch: created.ETag,
        ResponseHeadersPolicyConfig: { ...responseHeadersPolicy(name), ServerTimingHeadersConfig: { Enabled: false } },
      }),
    );
    expect(updated.ResponseHeadersPolicy?.ResponseHeadersPolicyConfig?.ServerTimingHeadersConfig?.Enabled).toBe(false);

    const bad = (cfg: ResponseHeadersPolicyConfig) =>
      t.cf.send(new CreateResponseHeadersPolicyCommand({ ResponseHeadersPolicyConfig: cfg }));
    const other = responseHeadersPolicy(`${name}x`);
    const header = (h: string) => ({ Header: h, Value: "v", Override: true });
    await expectCloudFrontError(bad(responseHeadersPolicy(name)), "ResponseHeadersPolicyAlreadyExists", 409);
    await expectCloudFrontError(
      bad({
        ...other,
        CustomHeadersConfig: { Quantity: 11, Items: Array.from({ length: 11 }, (_, i) => header(`x-c${i}`)) },
      }),
      "TooManyCustomHeadersInResponseHeadersPolicy",
      400,
    );
    await expectCloudFrontError(
      bad({
        ...other,
        RemoveHeadersConfig: { Quantity: 11, Items: Array.from({ length: 11 }, (_, i) => ({ Header: `x-r${i}` })) },
      }),
      "TooManyRemoveHeadersInResponseHeadersPolicy",
      400,
    );
    await expectCloudFrontError(
      bad({
        ...other,
        SecurityHeadersConfig: { ContentSecurityPolicy: { Override: true, ContentSecurityPolicy: "a".repeat(1784) } },
      }),
      "TooLongCSPInResponseHeadersPolicy",
      400,
    );
    await expectCloudFrontError(
      bad({ ...other, ServerTimingHeadersConfig: { Enabled: true, SamplingRate: 100.5 } }),
      "InvalidArgument",
      400,
    );
    await expectCloudFrontError(
      bad({ ...other, RemoveHeadersConfig: { Quantity: 1, Items: [{ Header: "Content-Length" }] } }),
      "InvalidArgument",
      400,
    );
    await expectCloudFrontError(
      bad({ ...other, CustomHeadersConfig: { Quantity: 1, Items: [header("Strict-Transport-Security")] } }),
      "InvalidArgument",
      400,
    );
    const cors = present(other.CorsConfig, "cors");
    await expectCloudFrontError(
      bad({ ...other, CorsConfig: { ...cors, AccessControlAllowOrigins: names("*") } }),
      "InvalidArgument",
      400,
    );
    await expectCloudFrontError(
      t.cf.send(
        new UpdateResponseHeadersPolicyCommand({
          Id: "67f7725c-6f97-4210-82d7-5512b31e9d03",
          IfMatch: "E",
          ResponseHeadersPolicyConfig: other,
        }),
      ),
      "IllegalUpdate",
      400,
    );
    await t.cf.send(new DeleteResponseHeadersPolicyCommand({ Id: id, IfMatch: updated.ETag }));
    await expectCloudFrontError(
      t.cf.send(new DeleteResponseHeadersPolicyCommand({ Id: id, IfMatch: updated.ETag })),
      "NoSuchResponseHeadersPolicy",
      404,
    );
  });
});

describe("references from distributions", () => {
  it("NoSuch… for an unknown id in a behaviour, …InUse while referenced, deletable once released", async () => {
    const n = ref("refs").replace(/[^A-Za-z0-9_-]/g, "_");
    const cp = await t.cf.send(new CreateCachePolicyCommand({ CachePolicyConfig: cachePolicy(`${n}c`) }));
    const orp = await t.cf.send(
      new CreateOriginRequestPolicyCommand({ OriginRequestPolicyConfig: originRequestPolicy(`${n}o`) }),
    );
    const rhp = await t.cf.send(
      new CreateResponseHeadersPolicyCommand({ ResponseHeadersPolicyConfig: responseHeadersPolicy(`${n}r`) }),
    );
    const ids = {
      cache: present(cp.CachePolicy?.Id, "cp"),
      orp: present(orp.OriginRequestPolicy?.Id, "orp"),
      rhp: present(rhp.ResponseHeadersPolicy?.Id, "rhp"),
    };
    const behavior = (over: Record<string, string>) => ({
      TargetOriginId: "origin",
      ViewerProtocolPolicy: "allow-all" as const,
      CachePolicyId: ids.cache,
      OriginRequestPolicyId: ids.orp,
      ResponseHeadersPolicyId: ids.rhp,
      ...over,
    });
    const create = (over: Record<string, string>) =>
      t.cf.send(
        new CreateDistributionCommand({
          DistributionConfig: distributionConfig(ref("d"), 9001, { DefaultCacheBehavior: behavior(over) }),
        }),
      );
    await expectCloudFrontError(create({ CachePolicyId: "unknown" }), "NoSuchCachePolicy", 404);
    await expectCloudFrontError(create({ OriginRequestPolicyId: "unknown" }), "NoSuchOriginRequestPolicy", 404);
    await expectCloudFrontError(create({ ResponseHeadersPolicyId: "unknown" }), "NoSuchResponseHeadersPolicy", 404);
    const d = await create({});
    const dist = { id: present(d.Distribution?.Id, "id"), etag: present(d.ETag, "etag") };

    await expectCloudFrontError(
      t.cf.send(new DeleteCachePolicyCommand({ Id: ids.cache, IfMatch: cp.ETag })),
      "CachePolicyInUse",
      409,
    );
    await expectCloudFrontError(
      t.cf.send(new DeleteOriginRequestPolicyCommand({ Id: ids.orp, IfMatch: orp.ETag })),
      "OriginRequestPolicyInUse",
      409,
    );
    await expectCloudFrontError(
      t.cf.send(new DeleteResponseHeadersPolicyCommand({ Id: ids.rhp, IfMatch: rhp.ETag })),
      "ResponseHeadersPolicyInUse",
      409,
    );

    // Release them (back to the managed CachingDisabled, no other policy), then they can go.
    const current = await t.cf.send(new GetDistributionConfigCommand({ Id: dist.id }));
    const cfg = present(current.DistributionConfig, "config");
    const released = await t.cf.send(
      new UpdateDistributionCommand({
        Id: dist.id,
        IfMatch: current.ETag,
        DistributionConfig: {
          ...cfg,
          Enabled: false,
          DefaultCacheBehavior: {
            TargetOriginId: "origin",
            ViewerProtocolPolicy: "allow-all",
            CachePolicyId: CACHING_DISABLED,
          },
        },
      }),
    );
    await t.cf.send(new DeleteCachePolicyCommand({ Id: ids.cache, IfMatch: cp.ETag }));
    await t.cf.send(new DeleteOriginRequestPolicyCommand({ Id: ids.orp, IfMatch: orp.ETag }));
    await t.cf.send(new DeleteResponseHeadersPolicyCommand({ Id: ids.rhp, IfMatch: rhp.ETag }));
    await t.cf.send(new DeleteDistributionCommand({ Id: dist.id, IfMatch: released.ETag }));
  });
});
