/**
 * Issue 4 end to end: the settings CloudFront lets a staging distribution differ in (reference §5) are set through
 * the real AWS SDK (create primary, CopyDistribution, UpdateDistribution of staging, attach a header policy) and
 * then seen by viewers of the running worker: staging viewers get staging's cache behaviours, origin group,
 * custom error page, geo restriction and default root object; primary viewers get primary's. While the policy is
 * attached, changes outside §5 are IllegalUpdate on either distribution, and §5 changes still go through.
 */
import {
  type CacheBehavior,
  CopyDistributionCommand,
  CreateContinuousDeploymentPolicyCommand,
  CreateDistributionCommand,
  type DistributionConfig,
  GetDistributionCommand,
  type Origin,
  UpdateDistributionCommand,
} from "@aws-sdk/client-cloudfront";
import { describe, expect, it } from "vitest";
import { useTestOrigins } from "./helpers/origins.js";
import { expectCloudFrontError, headerPolicy, present, ref } from "./helpers/sdk.js";
import { useWorker } from "./helpers/worker.js";

const t = useWorker();
const origins = useTestOrigins();

function customOrigin(id: string, port: number, originPath = ""): Origin {
  return {
    Id: id,
    DomainName: "127.0.0.1",
    OriginPath: originPath,
    CustomHeaders: { Quantity: 0 },
    CustomOriginConfig: { HTTPPort: port, HTTPSPort: 443, OriginProtocolPolicy: "http-only" },
    ConnectionAttempts: 1,
  };
}

/** AWS's managed cache policy "CachingOptimized". */
const CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6";

/** Legacy settings: query strings forwarded, nothing cached (TTLs 0), every method allowed. */
function uncached(target: string): Omit<CacheBehavior, "PathPattern"> {
  return {
    TargetOriginId: target,
    ViewerProtocolPolicy: "allow-all",
    AllowedMethods: {
      Quantity: 7,
      Items: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
      CachedMethods: { Quantity: 2, Items: ["GET", "HEAD"] },
    },
    ForwardedValues: { QueryString: true, Cookies: { Forward: "none" } },
    MinTTL: 0,
    DefaultTTL: 0,
    MaxTTL: 0,
  };
}

function behaviors(...items: [pattern: string, target: string][]): DistributionConfig["CacheBehaviors"] {
  return {
    Quantity: items.length,
    Items: items.map(([pattern, target]) => ({ PathPattern: pattern, ...uncached(target) })),
  };
}

interface ViewerInit {
  method?: string;
  body?: string;
  staging?: boolean;
  /** request.cf.country as Miniflare passes it to the worker. */
  country?: "DE" | "FR" | "US";
}

/** A viewer request to the primary's domain name; `staging` adds the policy's header. */
async function view(host: string, path: string, init: ViewerInit = {}) {
  const res = await t.worker.mf.dispatchFetch(`http://${host}${path}`, {
    method: init.method ?? "GET",
    ...(init.body !== undefined ? { body: init.body } : {}),
    headers: init.staging === true ? { "aws-cf-cd-test": "blue" } : {},
    redirect: "manual",
    ...(init.country !== undefined ? { cf: { country: init.country } } : {}),
  });
  const text = await res.text();
  const json = res.headers.get("content-type")?.includes("application/json") ? JSON.parse(text) : null;
  return {
    status: res.status,
    arm: res.headers.get("x-served-by"),
    cache: res.headers.get("x-cache"),
    echo: json as { origin: string; url: string; method: string } | null,
    text,
  };
}

describe("staging's §5 settings reach staging viewers only (through the API and the worker)", () => {
  it("cache behaviours, origin group, error page, geo restriction, default root object, comment; IllegalUpdate", async () => {
    const ports = origins.ports;
    const primaryCfg: DistributionConfig = {
      CallerReference: ref("behaviors-primary"),
      Aliases: { Quantity: 0 },
      DefaultRootObject: "index.html",
      Origins: {
        Quantity: 2,
        Items: [customOrigin("origin", ports.primary), customOrigin("old", ports.primary, "/old")],
      },
      DefaultCacheBehavior: uncached("origin"),
      CacheBehaviors: behaviors(["/legacy/*", "old"], ["/api/*", "origin"], ["/errors/*", "origin"]),
      Comment: "primary v1",
      Enabled: true,
    };
    const created = await t.cf.send(new CreateDistributionCommand({ DistributionConfig: primaryCfg }));
    const primaryId = present(created.Distribution?.Id, "primary id");
    const primaryDns = present(created.Distribution?.DomainName, "primary domain");

    const copy = await t.cf.send(
      new CopyDistributionCommand({
        PrimaryDistributionId: primaryId,
        Staging: true,
        CallerReference: ref("behaviors-staging"),
        Enabled: true,
      }),
    );
    const stagingId = present(copy.Distribution?.Id, "staging id");
    const stagingDns = present(copy.Distribution?.DomainName, "staging domain");
    const copied = present(copy.Distribution?.DistributionConfig, "staging config");

    // Staging: another default origin, an origin group behind /api/*, error pages from /errors/* on another
    // origin, a 404 page, a geo allow-list, another default root object, and no /legacy/* (a subset of primary's).
    const stagingCfg: DistributionConfig = {
      ...copied,
      DefaultRootObject: "home.html",
      Origins: {
        Quantity: 3,
        Items: [
          customOrigin("origin", ports.staging),
          customOrigin("unavailable", ports.unavailable),
          customOrigin("pages", ports.primary, "/static"),
        ],
      },
      OriginGroups: {
        Quantity: 1,
        Items: [
          {
            Id: "api-group",
            FailoverCriteria: { StatusCodes: { Quantity: 1, Items: [503] } },
            Members: { Quantity: 2, Items: [{ OriginId: "unavailable" }, { OriginId: "origin" }] },
          },
        ],
      },
      DefaultCacheBehavior: uncached("origin"),
      // /errors/* on staging uses the AWS managed CachingOptimized policy; primary's caches nothing.
      CacheBehaviors: {
        Quantity: 2,
        Items: [
          { PathPattern: "/api/*", ...uncached("api-group") },
          {
            PathPattern: "/errors/*",
            TargetOriginId: "pages",
            ViewerProtocolPolicy: "allow-all",
            CachePolicyId: CACHING_OPTIMIZED,
          },
        ],
      },
      CustomErrorResponses: {
        Quantity: 1,
        Items: [{ ErrorCode: 404, ResponsePagePath: "/errors/404.html", ResponseCode: "200", ErrorCachingMinTTL: 0 }],
      },
      Restrictions: { GeoRestriction: { RestrictionType: "whitelist", Quantity: 1, Items: ["DE"] } },
      Comment: "staging v2",
    };
    const stagingUpdated = await t.cf.send(
      new UpdateDistributionCommand({ Id: stagingId, IfMatch: copy.ETag, DistributionConfig: stagingCfg }),
    );

    const policy = await t.cf.send(
      new CreateContinuousDeploymentPolicyCommand({
        ContinuousDeploymentPolicyConfig: headerPolicy(stagingDns, "aws-cf-cd-test", "blue"),
      }),
    );
    const policyId = present(policy.ContinuousDeploymentPolicy?.Id, "policy id");
    const attachedCfg = { ...primaryCfg, ContinuousDeploymentPolicyId: policyId };
    const attached = await t.cf.send(
      new UpdateDistributionCommand({ Id: primaryId, IfMatch: created.ETag, DistributionConfig: attachedCfg }),
    );
    expect(await t.worker.edgeRecord(primaryDns)).toMatchObject({
      staging: { id: stagingId },
      policy: { id: policyId },
    });

    // Default root object.
    expect((await view(primaryDns, "/", { country: "DE" })).echo).toMatchObject({
      origin: "primary",
      url: "/index.html",
    });
    const root = await view(primaryDns, "/", { staging: true, country: "DE" });
    expect(root.arm).toBe("staging");
    expect(root.echo).toMatchObject({ origin: "staging", url: "/home.html" });

    // Cache behaviours: primary's /legacy/* is not staging's; staging's /api/* goes to its origin group, which
    // fails over from the 503 origin for GET but not for POST.
    expect((await view(primaryDns, "/legacy/page")).echo).toMatchObject({ origin: "primary", url: "/old/legacy/page" });
    expect((await view(primaryDns, "/legacy/page", { staging: true, country: "DE" })).echo).toMatchObject({
      origin: "staging",
      url: "/legacy/page",
    });
    expect((await view(primaryDns, "/api/items")).echo).toMatchObject({ origin: "primary", url: "/api/items" });
    expect((await view(primaryDns, "/api/items", { staging: true, country: "DE" })).echo).toMatchObject({
      origin: "staging",
      url: "/api/items",
    });
    const post = await view(primaryDns, "/api/items", { method: "POST", body: "x", staging: true, country: "DE" });
    expect(post.status).toBe(503);
    expect(post.text).toBe("unavailable");
    const primaryPost = await view(primaryDns, "/api/items", { method: "POST", body: "x" });
    expect(primaryPost.echo).toMatchObject({ origin: "primary", method: "POST" });

    // Custom error response: staging's 404 page, from its /errors/* origin, with 200; primary's plain 404.
    const p404 = await view(primaryDns, "/nothing?status=404");
    expect(p404.status).toBe(404);
    expect(p404.echo).toMatchObject({ origin: "primary", url: "/nothing?status=404" });
    const s404 = await view(primaryDns, "/nothing?status=404", { staging: true, country: "DE" });
    expect(s404.status).toBe(200);
    expect(s404.echo).toMatchObject({ origin: "primary", url: "/static/errors/404.html" });

    // Cache policy by id: staging's CachingOptimized /errors/* caches (the 404 page above was its first fetch).
    const sPage = await view(primaryDns, "/errors/404.html", { staging: true, country: "DE" });
    expect(sPage.cache).toMatch(/^Hit/);
    expect(sPage.echo).toMatchObject({ origin: "primary", url: "/static/errors/404.html" });
    // Primary's CachingDisabled never looks the page up: each time from the origin, without X-Cache.
    for (let i = 0; i < 2; i++) {
      const pPage = await view(primaryDns, "/errors/404.html");
      expect(pPage.cache).toBeNull();
      expect(pPage.echo).toMatchObject({ url: "/errors/404.html" });
    }

    // Geo restriction: staging allows DE only; primary has none.
    expect((await view(primaryDns, "/page", { staging: true, country: "FR" })).status).toBe(403);
    expect((await view(primaryDns, "/page", { country: "FR" })).status).toBe(200);

    // Comment: stored and returned, each distribution its own.
    const gotPrimary = await t.cf.send(new GetDistributionCommand({ Id: primaryId }));
    const gotStaging = await t.cf.send(new GetDistributionCommand({ Id: stagingId }));
    expect(gotPrimary.Distribution?.DistributionConfig?.Comment).toBe("primary v1");
    expect(gotStaging.Distribution?.DistributionConfig?.Comment).toBe("staging v2");
    expect(gotStaging.Distribution?.DistributionConfig?.CustomErrorResponses?.Items?.[0]?.ResponsePagePath).toBe(
      "/errors/404.html",
    );

    // While attached: outside §5 → IllegalUpdate, on the primary and on staging; path patterns stay a subset.
    await expectCloudFrontError(
      t.cf.send(
        new UpdateDistributionCommand({
          Id: primaryId,
          IfMatch: attached.ETag,
          DistributionConfig: { ...attachedCfg, HttpVersion: "http1.1" },
        }),
      ),
      "IllegalUpdate",
      400,
    );
    for (const change of [
      { PriceClass: "PriceClass_100" as const },
      { IsIPV6Enabled: false },
      { CacheBehaviors: behaviors(["/api/*", "api-group"], ["/errors/*", "pages"], ["/new/*", "origin"]) },
    ]) {
      await expectCloudFrontError(
        t.cf.send(
          new UpdateDistributionCommand({
            Id: stagingId,
            IfMatch: stagingUpdated.ETag,
            DistributionConfig: { ...stagingCfg, ...change },
          }),
        ),
        "IllegalUpdate",
        400,
      );
    }

    // …and §5 changes still go through and reach the edge: staging now also allows FR, logs, has another comment.
    const widened = await t.cf.send(
      new UpdateDistributionCommand({
        Id: stagingId,
        IfMatch: stagingUpdated.ETag,
        DistributionConfig: {
          ...stagingCfg,
          Restrictions: { GeoRestriction: { RestrictionType: "whitelist", Quantity: 2, Items: ["DE", "FR"] } },
          Logging: { Enabled: true, IncludeCookies: false, Bucket: "logs.s3.amazonaws.com", Prefix: "staging/" },
          Comment: "staging v3",
        },
      }),
    );
    expect(widened.Distribution?.DistributionConfig?.Comment).toBe("staging v3");
    expect(widened.Distribution?.DistributionConfig?.Logging).toMatchObject({ Enabled: true, Prefix: "staging/" });
    const fr = await view(primaryDns, "/page", { staging: true, country: "FR" });
    expect(fr.status).toBe(200);
    expect(fr.echo).toMatchObject({ origin: "staging" });
    expect((await view(primaryDns, "/page", { staging: true, country: "US" })).status).toBe(403);
  });
});
