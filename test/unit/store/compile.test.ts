import { describe, expect, it } from "vitest";
import type { DistributionConfig } from "../../../src/domain/distribution/types.js";
import type { ControlState, DistributionRecord, PolicyRecord } from "../../../src/domain/state.js";
import { compileEdgeConfigs } from "../../../src/store/compile.js";
import { compileDistribution } from "../../../src/store/compile-distribution.js";
import { planPublish } from "../../../src/store/publish.js";
import { config } from "./fixtures.js";

const record = (id: string, cfg: DistributionConfig): DistributionRecord => ({
  id,
  etag: "E",
  domainName: `d${id.toLowerCase()}.test.localhost`,
  lastModified: "2026-01-01T00:00:00.000Z",
  seq: 1,
  config: cfg,
});

const policy = (id: string, dns: string, enabled = true): PolicyRecord => ({
  id,
  etag: "E",
  lastModified: "",
  seq: 1,
  epoch: 3,
  config: {
    StagingDistributionDnsNames: { Quantity: 1, Items: [dns] },
    Enabled: enabled,
    TrafficConfig: { Type: "SingleHeader", SingleHeaderConfig: { Header: "AWS-CF-CD-Test", Value: "blue" } },
  },
});

describe("compileDistribution", () => {
  it("resolves legacy TTLs and cache keys, origin ports and timeouts in ms, groups, errors and geo", () => {
    const cfg = config("c", {
      DefaultRootObject: "index.html",
      Origins: {
        Quantity: 2,
        Items: [
          {
            Id: "a",
            DomainName: "127.0.0.1",
            OriginPath: "/v1",
            CustomHeaders: { Quantity: 1, Items: [{ HeaderName: "X-Secret", HeaderValue: "s" }] },
            CustomOriginConfig: {
              HTTPPort: 9001,
              HTTPSPort: 8443,
              OriginProtocolPolicy: "http-only",
              OriginReadTimeout: 5,
            },
            ConnectionAttempts: 2,
            ConnectionTimeout: 4,
          },
          { Id: "b", DomainName: "bucket.s3.amazonaws.com", S3OriginConfig: { OriginAccessIdentity: "" } },
        ],
      },
      OriginGroups: {
        Quantity: 1,
        Items: [
          {
            Id: "g",
            FailoverCriteria: { StatusCodes: { Quantity: 2, Items: [500, 502] } },
            Members: { Quantity: 2, Items: [{ OriginId: "a" }, { OriginId: "b" }] },
          },
        ],
      },
      DefaultCacheBehavior: {
        TargetOriginId: "g",
        ViewerProtocolPolicy: "redirect-to-https",
        ForwardedValues: {
          QueryString: true,
          QueryStringCacheKeys: { Quantity: 1, Items: ["v"] },
          Cookies: { Forward: "whitelist", WhitelistedNames: { Quantity: 1, Items: ["session"] } },
          Headers: { Quantity: 1, Items: ["Accept-Language"] },
        },
        MinTTL: 1,
        DefaultTTL: 60,
        MaxTTL: 120,
      },
      CacheBehaviors: {
        Quantity: 1,
        Items: [
          {
            PathPattern: "/api/*",
            TargetOriginId: "a",
            ViewerProtocolPolicy: "https-only",
            CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
            AllowedMethods: {
              Quantity: 3,
              Items: ["GET", "HEAD", "OPTIONS"],
              CachedMethods: { Quantity: 2, Items: ["GET", "HEAD"] },
            },
          },
        ],
      },
      CustomErrorResponses: {
        Quantity: 1,
        Items: [{ ErrorCode: 404, ResponsePagePath: "/404.html", ResponseCode: "200" }],
      },
      Restrictions: { GeoRestriction: { RestrictionType: "whitelist", Quantity: 1, Items: ["de"] } },
    });
    const d = compileDistribution(record("E1", cfg));
    expect(d.defaultRootObject).toBe("index.html");
    expect(d.origins.a).toEqual({
      id: "a",
      domainName: "127.0.0.1",
      originPath: "/v1",
      customHeaders: [["x-secret", "s"]],
      protocolPolicy: "http-only",
      httpPort: 9001,
      httpsPort: 8443,
      readTimeoutMs: 5000,
      connectionAttempts: 2,
      connectionTimeoutMs: 4000,
    });
    expect(d.origins.b?.protocolPolicy).toBe("https-only");
    expect(d.originGroups.g).toEqual({
      id: "g",
      primaryOriginId: "a",
      secondaryOriginId: "b",
      failoverStatusCodes: [500, 502],
    });
    expect(d.defaultBehavior).toMatchObject({
      pathPattern: null,
      minTTL: 1,
      defaultTTL: 60,
      maxTTL: 120,
      cacheKey: {
        queryStrings: { mode: "allow", names: ["v"] },
        cookies: { mode: "allow", names: ["session"] },
        headers: { mode: "allow", names: ["accept-language"] },
      },
    });
    expect(d.behaviors[0]).toMatchObject({
      pathPattern: "/api/*",
      minTTL: 0,
      defaultTTL: 0,
      maxTTL: 0,
      allowedMethods: ["GET", "HEAD", "OPTIONS"],
    });
    expect(d.customErrorResponses).toEqual([
      { errorCode: 404, responsePagePath: "/404.html", responseCode: 200, errorCachingMinTTL: 10 },
    ]);
    expect(d.geoRestriction).toEqual({ type: "whitelist", countries: ["DE"] });
  });

  describe("what a stored legacy config may hold that no request could be sent with", () => {
    type OriginInput = NonNullable<NonNullable<DistributionConfig["Origins"]>["Items"]>[number];
    const compiled = (o: Partial<OriginInput>, custom: Record<string, unknown> = {}) =>
      compileDistribution(
        record(
          "E1",
          config("c", {
            Origins: {
              Quantity: 1,
              Items: [
                {
                  Id: "o",
                  DomainName: "origin.example.com",
                  CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: "http-only", ...custom },
                  ...o,
                },
              ],
            },
          }),
        ),
      ).origins.o;

    it.each([
      [{ ConnectionAttempts: 1_000_000 }, {}, { connectionAttempts: 3 }],
      [{ ConnectionAttempts: 0 }, {}, { connectionAttempts: 1 }],
      [{ ConnectionAttempts: -2 }, {}, { connectionAttempts: 1 }],
      [{ ConnectionAttempts: Number.NaN }, {}, { connectionAttempts: 3 }],
      [{ ConnectionTimeout: 0 }, {}, { connectionTimeoutMs: 1000 }],
      [{ ConnectionTimeout: 99 }, {}, { connectionTimeoutMs: 10_000 }],
      [{}, { OriginReadTimeout: 0 }, { readTimeoutMs: 1000 }],
      [{}, { OriginReadTimeout: -5 }, { readTimeoutMs: 1000 }],
      [{}, { OriginReadTimeout: 100_000 }, { readTimeoutMs: 180_000 }],
      [{}, { OriginReadTimeout: 2.5 }, { readTimeoutMs: 2000 }],
    ])("clamps %j %j to CloudFront's range: %j", (o, custom, expected) => {
      const origin = compiled(o, custom);
      expect(origin).toMatchObject(expected);
      expect(origin?.unusable).toBeUndefined();
    });

    it.each([
      [{ DomainName: "" }, {}, "DomainName"],
      [{ DomainName: "a b" }, {}, "DomainName"],
      [{ DomainName: "host/path" }, {}, "DomainName"],
      [{ DomainName: "host:8080" }, {}, "DomainName"],
      [{ DomainName: "user@host" }, {}, "DomainName"],
      [{ OriginPath: "/a?b" }, {}, "OriginPath"],
      [{ OriginPath: "no-slash" }, {}, "OriginPath"],
      [{}, { HTTPPort: 70_000 }, "port"],
      [{}, { HTTPSPort: 0 }, "port"],
      [{}, { HTTPPort: 80.5 }, "port"],
      [{ CustomHeaders: { Quantity: 1, Items: [{ HeaderName: "bad name", HeaderValue: "v" }] } }, {}, "bad name"],
      [{ CustomHeaders: { Quantity: 1, Items: [{ HeaderName: "x-ok", HeaderValue: "a\nb" }] } }, {}, "x-ok"],
    ])("marks %j %j unusable (%s), so viewers get the edge's 502", (o, custom, reason) => {
      expect(compiled(o, custom)?.unusable).toContain(reason);
    });

    it("leaves a usable origin unmarked: host names, IPv4 addresses, a trailing dot, an origin path", () => {
      for (const DomainName of ["origin.example.com", "127.0.0.1", "my-bucket.s3.amazonaws.com", "localhost."]) {
        expect(compiled({ DomainName, OriginPath: "/v1" })?.unusable).toBeUndefined();
      }
    });
  });

  it("Logging: enabled distributions carry IncludeCookies and Prefix; disabled or absent ones no logging", () => {
    const logging = (Enabled: boolean) => ({
      Enabled,
      IncludeCookies: true,
      Bucket: "logs.s3.amazonaws.com",
      Prefix: "cd/",
    });
    expect(compileDistribution(record("E1", config("c", { Logging: logging(true) }))).logging).toEqual({
      includeCookies: true,
      prefix: "cd/",
    });
    expect(compileDistribution(record("E1", config("c", { Logging: logging(false) }))).logging).toBeUndefined();
    expect(compileDistribution(record("E1", config("c"))).logging).toBeUndefined();
  });

  it("CachingOptimized: 1 / 86400 / 31536000, nothing in the key", () => {
    const d = compileDistribution(record("E1", config("c")));
    expect(d.defaultBehavior).toMatchObject({ minTTL: 1, defaultTTL: 86_400, maxTTL: 31_536_000 });
    expect(d.defaultBehavior.cacheKey.queryStrings).toEqual({ mode: "none" });
  });

  describe("what reaches the origin (forwarded query strings and cookies)", () => {
    const NONE = { mode: "none" };
    const ALL = { mode: "all" };
    const withBehavior = (b: Partial<DistributionConfig["DefaultCacheBehavior"]>) =>
      compileDistribution(
        record(
          "E1",
          config("c", { DefaultCacheBehavior: { TargetOriginId: "o", ViewerProtocolPolicy: "allow-all", ...b } }),
        ),
      ).defaultBehavior;

    it("a managed cache policy alone forwards only its cache key (CachingDisabled: nothing)", () => {
      const b = withBehavior({ CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" });
      expect(b.forwarded).toEqual({
        queryStrings: NONE,
        cookies: NONE,
        headers: { mode: "allow", names: [] },
        viewerHost: false,
        viewerProto: false,
      });
    });

    it("the managed all-viewer origin request policies forward every query string and cookie", () => {
      for (const orp of [
        "216adef6-5c7f-47e4-b989-5492eafa07d3",
        "33f36d7e-f396-46d9-90e0-52428a34d9dc",
        "b689b0a8-53d0-40ab-baf2-68738e2966ac",
      ]) {
        const b = withBehavior({ CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad", OriginRequestPolicyId: orp });
        expect(b.forwarded).toMatchObject({ queryStrings: ALL, cookies: ALL });
        expect(b.cacheKey.cookies).toEqual(NONE);
      }
    });

    it("a header-only origin request policy (CORS-S3Origin) adds no query string or cookie", () => {
      const b = withBehavior({
        CachePolicyId: "658327ea-f89d-4fab-a63d-7e88639e58f6",
        OriginRequestPolicyId: "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf",
      });
      expect(b.forwarded).toEqual({
        queryStrings: NONE,
        cookies: NONE,
        headers: {
          mode: "allow",
          names: ["origin", "access-control-request-headers", "access-control-request-method"],
        },
        viewerHost: false,
        viewerProto: false,
      });
    });

    it("legacy ForwardedValues forward exactly what they key on", () => {
      const b = withBehavior({
        ForwardedValues: {
          QueryString: true,
          QueryStringCacheKeys: { Quantity: 1, Items: ["v"] },
          Cookies: { Forward: "whitelist", WhitelistedNames: { Quantity: 1, Items: ["session"] } },
        },
        MinTTL: 0,
      });
      expect(b.forwarded).toEqual({
        queryStrings: { mode: "allow", names: ["v"] },
        cookies: { mode: "allow", names: ["session"] },
        headers: { mode: "allow", names: [] },
        viewerHost: false,
        viewerProto: false,
      });
    });

    it("the viewer's Host and scheme reach the origin only where CloudFront would send them", () => {
      const caching = { CachePolicyId: "658327ea-f89d-4fab-a63d-7e88639e58f6" }; // CachingOptimized
      const policy = (id: string) => withBehavior({ ...caching, OriginRequestPolicyId: id }).forwarded;
      const legacy = (...names: string[]) =>
        withBehavior({
          ForwardedValues: {
            QueryString: false,
            Cookies: { Forward: "none" },
            Headers: { Quantity: names.length, Items: names },
          },
        }).forwarded;
      const pick = (f: { viewerHost?: boolean; viewerProto?: boolean }) => [f.viewerHost, f.viewerProto];
      expect(pick(policy("216adef6-5c7f-47e4-b989-5492eafa07d3"))).toEqual([true, false]); // AllViewer
      expect(pick(policy("33f36d7e-f396-46d9-90e0-52428a34d9dc"))).toEqual([true, true]); // ...AndCloudFrontHeaders
      expect(pick(policy("b689b0a8-53d0-40ab-baf2-68738e2966ac"))).toEqual([false, false]); // ...ExceptHostHeader
      expect(pick(withBehavior(caching).forwarded)).toEqual([false, false]);
      expect(pick(legacy("Host"))).toEqual([true, false]);
      expect(pick(legacy("CloudFront-Forwarded-Proto"))).toEqual([false, true]);
      expect(pick(legacy("*"))).toEqual([true, false]);
      expect(pick(legacy("Accept-Language"))).toEqual([false, false]);
      // UseOriginCacheControlHeaders keys on Host.
      expect(pick(withBehavior({ CachePolicyId: "83da9c7e-98b4-4e11-a168-04f0df8e2c65" }).forwarded)).toEqual([
        true,
        false,
      ]);
    });
  });
});

describe("compileEdgeConfigs", () => {
  const primary = record(
    "EP",
    config("p", { Aliases: { Quantity: 1, Items: ["WWW.Example.test"] }, ContinuousDeploymentPolicyId: "pol" }),
  );
  const staging = record("ES", config("s", { Staging: true }));
  const state: ControlState = {
    distributions: [primary, staging],
    policies: [policy("pol", staging.domainName)],
    behaviorPolicies: [],
  };

  it("one viewer record per hostname of an enabled primary, with policy and staging resolved", () => {
    const out = compileEdgeConfigs(state, 7);
    expect([...out.keys()].sort()).toEqual([primary.domainName, staging.domainName, "www.example.test"].sort());
    const www = out.get("www.example.test");
    expect(www).toMatchObject({
      kind: "viewer",
      version: 7,
      primary: { id: "EP" },
      staging: { id: "ES" },
      policy: {
        id: "pol",
        epoch: 3,
        enabled: true,
        traffic: { type: "SingleHeader", header: "aws-cf-cd-test", value: "blue" },
      },
    });
    expect(out.get(staging.domainName)).toEqual({
      schema: 1,
      kind: "staging",
      host: staging.domainName,
      version: 7,
      stagingDistributionId: "ES",
    });
  });

  it("a disabled primary publishes nothing; no policy → policy and staging null", () => {
    const off = { ...primary, config: { ...primary.config, Enabled: false } };
    expect(compileEdgeConfigs({ ...state, distributions: [off, staging] }, 1).has(primary.domainName)).toBe(false);
    const bare = { ...primary, config: { ...primary.config, ContinuousDeploymentPolicyId: "" } };
    expect(compileEdgeConfigs({ ...state, distributions: [bare, staging] }, 1).get(primary.domainName)).toMatchObject({
      policy: null,
      staging: null,
    });
  });
});

describe("compileEdgeConfigs: the extensions' overlays", () => {
  const primary = record("EP", config("p", { ContinuousDeploymentPolicyId: "pol" }));
  const staging = record("ES", config("s", { Staging: true }));
  const weighted: PolicyRecord = {
    ...policy("pol", staging.domainName),
    config: {
      StagingDistributionDnsNames: { Quantity: 1, Items: [staging.domainName] },
      Enabled: true,
      TrafficConfig: { Type: "SingleWeight", SingleWeightConfig: { Weight: 0.05 } },
    },
  };
  const state: ControlState = { distributions: [primary, staging], policies: [weighted], behaviorPolicies: [] };

  it("a rollout's weight replaces the policy's at the edge, marked with the rollout's id", () => {
    const overlays = { rolloutWeights: new Map([["pol", { rolloutId: "r1", weight: 0.6 }]]), previewUntil: new Map() };
    expect(compileEdgeConfigs(state, 1, overlays).get(primary.domainName)).toMatchObject({
      policy: { id: "pol", rolloutId: "r1", traffic: { type: "SingleWeight", weight: 0.6 } },
    });
    const plain = compileEdgeConfigs(state, 1).get(primary.domainName);
    expect(plain).toMatchObject({ policy: { traffic: { weight: 0.05 } } });
    expect(plain?.kind === "viewer" && plain.policy !== null && "rolloutId" in plain.policy).toBe(false);
  });

  it("a header policy ignores a weight overlay; previewUntil goes on the primary's records only", () => {
    const header: ControlState = { ...state, policies: [policy("pol", staging.domainName)] };
    const overlays = {
      rolloutWeights: new Map([["pol", { rolloutId: "r1", weight: 0.6 }]]),
      previewUntil: new Map([["EP", 1_800_000_000]]),
    };
    const out = compileEdgeConfigs(header, 1, overlays);
    expect(out.get(primary.domainName)).toMatchObject({
      previewUntil: 1_800_000_000,
      policy: { traffic: { type: "SingleHeader" } },
    });
    expect(out.get(staging.domainName)).not.toHaveProperty("previewUntil");
    expect(compileEdgeConfigs(state, 1).get(primary.domainName)).not.toHaveProperty("previewUntil");
  });
});

describe("planPublish", () => {
  it("writes only changed records and deletes stale hosts; a version bump alone is no change", () => {
    const first = compileEdgeConfigs(
      { distributions: [record("EA", config("a"))], policies: [], behaviorPolicies: [] },
      1,
    );
    const p1 = planPublish(first, new Map([["gone.example", "x"]]));
    expect(p1.puts.map(([h]) => h)).toEqual(["dea.test.localhost"]);
    expect(p1.deletes).toEqual(["gone.example"]);
    const published = new Map(p1.puts.map(([h, , fp]) => [h, fp] as [string, string]));
    const again = compileEdgeConfigs(
      { distributions: [record("EA", config("a"))], policies: [], behaviorPolicies: [] },
      2,
    );
    expect(planPublish(again, published)).toEqual({ puts: [], deletes: [] });
    const changed = compileEdgeConfigs(
      { distributions: [record("EA", config("a", { DefaultRootObject: "i" }))], policies: [], behaviorPolicies: [] },
      3,
    );
    expect(planPublish(changed, published).puts.map(([, r]) => r.version)).toEqual([3]);
    // After a failed publish the host's fingerprint is "" (unknown): it is rewritten.
    expect(planPublish(again, new Map([["dea.test.localhost", ""]])).puts).toHaveLength(1);
  });
});
