/**
 * Cache, origin request and response headers policies at the edge, per arm: primary and staging reference
 * different policies (compiled from their CloudFront configs exactly as the control plane publishes them), and a
 * primary viewer and a staging viewer of the same URL each get their own distribution's cache key and TTLs, origin
 * request and response headers.
 */
import type {
  CachePolicyConfig,
  OriginRequestPolicyConfig,
  ResponseHeadersPolicyConfig,
} from "@aws-sdk/client-cloudfront";
import { describe, expect, it } from "vitest";
import { managedPolicy } from "../../../src/domain/behavior-policies/managed.js";
import type { PolicyKind } from "../../../src/domain/behavior-policies/types.js";
import type { EdgeBehavior } from "../../../src/model/edge-config.js";
import {
  compileCachePolicy,
  compileForwarded,
  compileResponseHeadersPolicy,
} from "../../../src/store/compile-policies.js";
import { echo, publishTwoArms, viewer } from "../../support/worker/edge.js";
import { behavior } from "../../support/worker/fixtures.js";
import { both, POLICY, staged } from "./arms.js";

const ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"];
const list = (...items: string[]) => ({ Quantity: items.length, Items: items });

function managed<K extends PolicyKind>(kind: K, id: string) {
  const p = managedPolicy(kind, id);
  if (p === undefined) throw new Error(`no managed ${kind} policy ${id}`);
  return p.config;
}
const CACHING_DISABLED = managed("cache", "4135ea2d-6df8-44a3-9df3-4b5a84be39ad");
const CACHING_OPTIMIZED = managed("cache", "658327ea-f89d-4fab-a63d-7e88639e58f6");
const ALL_VIEWER = managed("origin-request", "216adef6-5c7f-47e4-b989-5492eafa07d3");

/** A behaviour built from policy configs, as src/store/compile-distribution.ts builds it. */
function withPolicies(p: {
  cache: CachePolicyConfig;
  originRequest?: OriginRequestPolicyConfig;
  responseHeaders?: ResponseHeadersPolicyConfig;
  allowedMethods?: string[];
}): EdgeBehavior {
  const allowedMethods = p.allowedMethods ?? ALL_METHODS;
  const compiled = compileCachePolicy(p.cache);
  return behavior({
    ...compiled,
    allowedMethods,
    forwarded: compileForwarded(compiled.cacheKey, p.originRequest),
    ...(p.responseHeaders === undefined
      ? {}
      : { responseHeaders: compileResponseHeadersPolicy(p.responseHeaders, allowedMethods) }),
  });
}

const cacheOf = (r: Response) => r.headers.get("x-cache");

describe("cache policies per arm", () => {
  const byLanguage: CachePolicyConfig = {
    Name: "by-language",
    MinTTL: 0,
    DefaultTTL: 300,
    MaxTTL: 3600,
    ParametersInCacheKeyAndForwardedToOrigin: {
      EnableAcceptEncodingGzip: false,
      HeadersConfig: { HeaderBehavior: "whitelist", Headers: list("Accept-Language") },
      CookiesConfig: { CookieBehavior: "allExcept", Cookies: list("tracking") },
      QueryStringsConfig: { QueryStringBehavior: "whitelist", QueryStrings: list("v") },
    },
  };

  it("staging caches by its key (a header, cookies but one, a query string); primary (CachingDisabled) never", async () => {
    const { host } = await publishTwoArms("cp-key", POLICY, {
      primary: { defaultBehavior: withPolicies({ cache: CACHING_DISABLED, originRequest: ALL_VIEWER }) },
      staging: { defaultBehavior: withPolicies({ cache: byLanguage }) },
    });
    const en = { headers: { "accept-language": "en", cookie: "tier=gold; tracking=1" } };
    const [p1, s1] = await both(host, "/page?v=1&utm=x", en);
    expect(cacheOf(p1)).toBeNull();
    expect(cacheOf(s1)).toMatch(/^Miss/);
    const [pe, se] = [await echo(p1), await echo(s1)];
    expect(pe.url).toBe("/page?v=1&utm=x");
    expect(se.url).toBe("/page?v=1"); // only the key's query string reaches staging's origin
    expect(se.headers.cookie).toBe("tier=gold"); // allExcept tracking
    expect(se.headers["accept-language"]).toBe("en");

    // Same key (another utm, another tracking cookie): a hit on staging; primary still goes to its origin.
    const [p2, s2] = await both(host, "/page?v=1&utm=y", {
      headers: { "accept-language": "en", cookie: "tier=gold; tracking=2" },
    });
    expect(cacheOf(p2)).toBeNull();
    expect(cacheOf(s2)).toMatch(/^Hit/);
    // Another language, another cookie value: misses.
    const [, s3] = await both(host, "/page?v=1", { headers: { "accept-language": "de", cookie: "tier=gold" } });
    expect(cacheOf(s3)).toMatch(/^Miss/);
    const [, s4] = await both(host, "/page?v=1", { headers: { "accept-language": "en", cookie: "tier=free" } });
    expect(cacheOf(s4)).toMatch(/^Miss/);
  });

  it("http and https viewers share cache entries (the scheme is not in the key)", async () => {
    const { host } = await publishTwoArms("cp-scheme", POLICY, {
      staging: { defaultBehavior: withPolicies({ cache: CACHING_OPTIMIZED }) },
    });
    const first = await viewer(host, "/shared.css", staged({ headers: { "accept-encoding": "gzip" } }), "http");
    expect(cacheOf(first)).toMatch(/^Miss/);
    const second = await viewer(host, "/shared.css", staged({ headers: { "accept-encoding": "gzip" } }), "https");
    expect(cacheOf(second)).toMatch(/^Hit/);
  });

  it("the normalised Accept-Encoding is in staging's key and is what its origin receives", async () => {
    const { host } = await publishTwoArms("cp-ae", POLICY, {
      primary: { defaultBehavior: withPolicies({ cache: CACHING_DISABLED, originRequest: ALL_VIEWER }) },
      staging: { defaultBehavior: withPolicies({ cache: CACHING_OPTIMIZED }) },
    });
    const [p, s] = await both(host, "/enc.js", { headers: { "accept-encoding": "gzip, deflate, br;q=0.9" } });
    expect((await echo(s)).headers["accept-encoding"]).toBe("br,gzip");
    expect((await echo(p)).headers["accept-encoding"]).toContain("deflate");
    // "deflate, gzip" normalises to gzip alone: another entry than br,gzip; the same as plain gzip.
    const gz = await viewer(host, "/enc.js", staged({ headers: { "accept-encoding": "deflate, gzip" } }));
    expect(cacheOf(gz)).toMatch(/^Miss/);
    expect((await echo(gz)).headers["accept-encoding"]).toBe("gzip");
    const gz2 = await viewer(host, "/enc.js", staged({ headers: { "accept-encoding": "gzip" } }));
    expect(cacheOf(gz2)).toMatch(/^Hit/);
    const again = await viewer(host, "/enc.js", staged({ headers: { "accept-encoding": "br, gzip" } }));
    expect(cacheOf(again)).toMatch(/^Hit/);
  });
});

describe("origin request policies per arm", () => {
  const tenantOnly: OriginRequestPolicyConfig = {
    Name: "tenant-only",
    HeadersConfig: { HeaderBehavior: "whitelist", Headers: list("X-Tenant") },
    CookiesConfig: { CookieBehavior: "whitelist", Cookies: list("session") },
    QueryStringsConfig: { QueryStringBehavior: "allExcept", QueryStrings: list("utm") },
  };
  const viewerHeaders = {
    "x-tenant": "acme",
    "x-other": "nope",
    "user-agent": "TestBrowser/1.0",
    "accept-language": "fr",
    range: "bytes=0-9",
    cookie: "session=s1; theme=dark",
    "cf-connecting-ip": "203.0.113.7",
  };

  it("staging's origin gets only its policy's headers (plus those CloudFront always sends); primary's all (AllViewer)", async () => {
    const { host } = await publishTwoArms("orp", POLICY, {
      primary: { defaultBehavior: withPolicies({ cache: CACHING_DISABLED, originRequest: ALL_VIEWER }) },
      staging: { defaultBehavior: withPolicies({ cache: CACHING_DISABLED, originRequest: tenantOnly }) },
    });
    const [p, s] = await both(host, "/api?id=7&utm=mail", { headers: viewerHeaders });
    const pe = await echo(p);
    const se = await echo(s);
    expect(pe.url).toBe("/api?id=7&utm=mail");
    expect(pe.headers).toMatchObject({
      "x-tenant": "acme",
      "x-other": "nope",
      "user-agent": "TestBrowser/1.0",
      cookie: "session=s1; theme=dark",
      "x-forwarded-host": host,
    });
    expect(se.url).toBe("/api?id=7");
    expect(se.headers["x-tenant"]).toBe("acme");
    expect(se.headers["x-other"]).toBeUndefined();
    expect(se.headers["accept-language"]).toBeUndefined();
    expect(se.headers["x-forwarded-host"]).toBeUndefined();
    expect(se.headers["user-agent"]).toBe("Amazon CloudFront");
    expect(se.headers.range).toBe("bytes=0-9"); // always forwarded
    expect(se.headers.cookie).toBe("session=s1");
    // The viewer's address, whatever the lists say: CloudFront always sends X-Forwarded-For.
    expect(pe.headers["x-forwarded-for"]).toBe("203.0.113.7");
    expect(se.headers["x-forwarded-for"]).toBe("203.0.113.7");
  });

  it("AllViewerExceptHostHeader forwards every header but the viewer's Host", async () => {
    const exceptHost = managed("origin-request", "b689b0a8-53d0-40ab-baf2-68738e2966ac");
    const { host } = await publishTwoArms("orp-host", POLICY, {
      staging: { defaultBehavior: withPolicies({ cache: CACHING_DISABLED, originRequest: exceptHost }) },
    });
    const [p, s] = await both(host, "/x", { headers: viewerHeaders });
    expect((await echo(p)).headers["x-forwarded-host"]).toBe(host);
    const se = await echo(s);
    expect(se.headers["x-other"]).toBe("nope");
    expect(se.headers["x-forwarded-host"]).toBeUndefined();
  });

  it("a POST keeps its body headers and Authorization under an allow-list", async () => {
    const { host } = await publishTwoArms("orp-post", POLICY, {
      staging: { defaultBehavior: withPolicies({ cache: CACHING_DISABLED, originRequest: tenantOnly }) },
    });
    const [, s] = await both(host, "/form", {
      method: "POST",
      body: '{"a":1}',
      headers: { "content-type": "application/json", authorization: "Bearer t", "x-other": "no" },
    });
    const se = await echo(s);
    expect(se).toMatchObject({ method: "POST", body: '{"a":1}' });
    expect(se.headers["content-type"]).toBe("application/json");
    expect(se.headers.authorization).toBe("Bearer t");
    expect(se.headers["x-other"]).toBeUndefined();
    // A listed header the viewer's Connection header names is hop-by-hop: it stays behind.
    const [, hop] = await both(host, "/hop", { headers: { connection: "x-tenant", "x-tenant": "acme" } });
    expect((await echo(hop)).headers["x-tenant"]).toBeUndefined();
  });
});

describe("response headers policies per arm", () => {
  const policy: ResponseHeadersPolicyConfig = {
    Name: "app",
    CorsConfig: {
      AccessControlAllowOrigins: list("https://app.example", "https://*.preview.example"),
      AccessControlAllowHeaders: list("x-requested-with"),
      AccessControlAllowMethods: { Quantity: 2, Items: ["GET", "POST"] },
      AccessControlAllowCredentials: true,
      AccessControlExposeHeaders: list("x-origin"),
      AccessControlMaxAgeSec: 600,
      OriginOverride: false,
    },
    SecurityHeadersConfig: {
      StrictTransportSecurity: {
        Override: true,
        AccessControlMaxAgeSec: 63072000,
        IncludeSubdomains: true,
        Preload: true,
      },
      FrameOptions: { Override: false, FrameOption: "DENY" },
      ContentTypeOptions: { Override: true },
    },
    CustomHeadersConfig: { Quantity: 1, Items: [{ Header: "X-Policy", Value: "staging", Override: true }] },
    RemoveHeadersConfig: { Quantity: 1, Items: [{ Header: "X-Origin" }] },
    ServerTimingHeadersConfig: { Enabled: true, SamplingRate: 0 },
  };

  it("staging's responses carry its policy's headers, primary's (no policy) none of them", async () => {
    const { host } = await publishTwoArms("rhp", POLICY, {
      staging: {
        defaultBehavior: withPolicies({ cache: CACHING_DISABLED, originRequest: ALL_VIEWER, responseHeaders: policy }),
      },
    });
    const cors = { headers: { origin: "https://app.example" } };
    const [p, s] = await both(host, "/data", cors);
    expect(p.headers.get("access-control-allow-origin")).toBeNull();
    expect(p.headers.get("x-origin")).toBe("primary");
    expect(p.headers.get("strict-transport-security")).toBeNull();
    expect(s.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect(s.headers.get("access-control-allow-credentials")).toBe("true");
    expect(s.headers.get("access-control-expose-headers")).toBe("x-origin");
    expect(s.headers.get("access-control-allow-methods")).toBeNull(); // only on preflight answers
    expect(s.headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains; preload");
    expect(s.headers.get("x-frame-options")).toBe("DENY");
    expect(s.headers.get("x-content-type-options")).toBe("nosniff");
    expect(s.headers.get("x-policy")).toBe("staging");
    expect(s.headers.get("x-origin")).toBeNull(); // removed
    expect(s.headers.get("server-timing")).toBeNull(); // sampling rate 0, no Pragma
    expect((await echo(s)).origin).toBe("staging");

    // A wildcard origin, Pragma: server-timing, and an origin the policy does not allow.
    const preview = await viewer(
      host,
      "/data",
      staged({ headers: { origin: "https://pr-7.preview.example", pragma: "server-timing" } }),
    );
    expect(preview.headers.get("access-control-allow-origin")).toBe("https://pr-7.preview.example");
    expect(preview.headers.get("server-timing")).toMatch(
      /^cdn-cache-miss,cdn-pop;desc="splitfront",cdn-rid;desc="[^"]+"/,
    );
    const stranger = await viewer(host, "/data", staged({ headers: { origin: "https://evil.example" } }));
    expect(stranger.headers.get("access-control-allow-origin")).toBeNull();
    expect(stranger.headers.get("x-policy")).toBe("staging");
  });

  it("a preflight: staging (OPTIONS not allowed there) answers at the edge; primary passes it to its origin", async () => {
    const { host } = await publishTwoArms("rhp-preflight", POLICY, {
      staging: {
        defaultBehavior: withPolicies({
          cache: CACHING_DISABLED,
          responseHeaders: policy,
          allowedMethods: ["GET", "HEAD"],
        }),
      },
    });
    const preflight = {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-method": "POST" },
    };
    const [p, s] = await both(host, "/data", preflight);
    expect((await echo(p)).method).toBe("OPTIONS");
    expect(s.status).toBe(200);
    expect(await s.text()).toBe("");
    expect(s.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect(s.headers.get("access-control-allow-methods")).toBe("GET, POST");
    expect(s.headers.get("access-control-allow-headers")).toBe("x-requested-with");
    expect(s.headers.get("access-control-max-age")).toBe("600");
    expect(s.headers.get("strict-transport-security")).not.toBeNull();
    // Not an allowed origin: the behaviour answers as it would any OPTIONS it does not allow.
    const [, refused] = await both(host, "/data", {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(refused.status).toBe(403);
  });

  it("managed SecurityHeadersPolicy keeps the origin's headers except X-Content-Type-Options", async () => {
    const security = managed("response-headers", "67f7725c-6f97-4210-82d7-5512b31e9d03");
    const { host } = await publishTwoArms("rhp-managed", POLICY, {
      primary: { defaultBehavior: withPolicies({ cache: CACHING_DISABLED, responseHeaders: security }) },
    });
    const [p, s] = await both(host, "/page");
    expect(p.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(p.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(p.headers.get("strict-transport-security")).toBe("max-age=31536000");
    expect(p.headers.get("x-xss-protection")).toBe("1; mode=block");
    expect(p.headers.get("x-content-type-options")).toBe("nosniff");
    expect(s.headers.get("x-frame-options")).toBeNull();
  });
});
