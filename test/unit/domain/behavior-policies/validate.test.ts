/**
 * One row per rule of the policy validators (src/domain/behavior-policies/validate.ts): each mutation of a valid
 * config must be refused with CloudFront's code, and the valid configs (the managed ones among them) accepted.
 */
import { describe, expect, it } from "vitest";
import { managedPolicies } from "../../../../src/domain/behavior-policies/managed.js";
import type {
  CachePolicyConfig,
  OriginRequestPolicyConfig,
  ResponseHeadersPolicyConfig,
} from "../../../../src/domain/behavior-policies/types.js";
import { validateCachePolicy, validateOriginRequestPolicy } from "../../../../src/domain/behavior-policies/validate.js";
import { validateResponseHeadersPolicy } from "../../../../src/domain/behavior-policies/validate-response-headers.js";
import type { Result } from "../../../../src/domain/result.js";

const tagOf = (r: Result<unknown>) => (r.ok ? "ok" : r.error.tag);
const list = (...items: string[]) => ({ Quantity: items.length, Items: items });
const many = (prefix: string, n = 11) => list(...Array.from({ length: n }, (_, i) => `${prefix}${i}`));

const cache = (): CachePolicyConfig => ({
  Name: "c",
  MinTTL: 0,
  DefaultTTL: 60,
  MaxTTL: 600,
  ParametersInCacheKeyAndForwardedToOrigin: {
    EnableAcceptEncodingGzip: true,
    HeadersConfig: { HeaderBehavior: "none" },
    CookiesConfig: { CookieBehavior: "none" },
    QueryStringsConfig: { QueryStringBehavior: "none" },
  },
});
type Key = NonNullable<CachePolicyConfig["ParametersInCacheKeyAndForwardedToOrigin"]>;
const withKey = (k: Partial<Key>): CachePolicyConfig => {
  const c = cache();
  const key = c.ParametersInCacheKeyAndForwardedToOrigin as Key;
  return { ...c, ParametersInCacheKeyAndForwardedToOrigin: { ...key, ...k } };
};

const orp = (): OriginRequestPolicyConfig => ({
  Name: "o",
  HeadersConfig: { HeaderBehavior: "none" },
  CookiesConfig: { CookieBehavior: "none" },
  QueryStringsConfig: { QueryStringBehavior: "none" },
});

const rhp = (): ResponseHeadersPolicyConfig => ({ Name: "r" });
const cors = (over: Partial<NonNullable<ResponseHeadersPolicyConfig["CorsConfig"]>> = {}) => ({
  ...rhp(),
  CorsConfig: {
    AccessControlAllowOrigins: list("https://a.example"),
    AccessControlAllowHeaders: list("x-a"),
    AccessControlAllowMethods: { Quantity: 1, Items: ["GET" as const] },
    AccessControlAllowCredentials: false,
    OriginOverride: false,
    ...over,
  },
});

describe("cache policy rules", () => {
  const rows: [string, CachePolicyConfig, string][] = [
    ["valid", cache(), "ok"],
    ["name with a space", { ...cache(), Name: "a b" }, "invalid-argument"],
    ["name over 128", { ...cache(), Name: "n".repeat(129) }, "invalid-argument"],
    ["comment over 128", { ...cache(), Comment: "c".repeat(129) }, "invalid-argument"],
    ["MinTTL above DefaultTTL", { ...cache(), MinTTL: 61 }, "invalid-argument"],
    ["DefaultTTL above MaxTTL", { ...cache(), DefaultTTL: 601 }, "invalid-argument"],
    ["negative TTL", { ...cache(), MinTTL: -1 }, "invalid-argument"],
    ["no cache key settings", { Name: "c", MinTTL: 0 }, "invalid-argument"],
    [
      "11 headers",
      withKey({ HeadersConfig: { HeaderBehavior: "whitelist", Headers: many("x-h") } }),
      "too-many-headers-in-cache-policy",
    ],
    [
      "11 cookies",
      withKey({ CookiesConfig: { CookieBehavior: "allExcept", Cookies: many("c") } }),
      "too-many-cookies-in-cache-policy",
    ],
    [
      "11 query strings",
      withKey({ QueryStringsConfig: { QueryStringBehavior: "whitelist", QueryStrings: many("q") } }),
      "too-many-query-strings-in-cache-policy",
    ],
    ["whitelist without names", withKey({ HeadersConfig: { HeaderBehavior: "whitelist" } }), "invalid-argument"],
    ["names with none", withKey({ CookiesConfig: { CookieBehavior: "none", Cookies: list("a") } }), "invalid-argument"],
    [
      "Accept-Encoding listed",
      withKey({ HeadersConfig: { HeaderBehavior: "whitelist", Headers: list("Accept-Encoding") } }),
      "invalid-argument",
    ],
    [
      "a header twice (any case)",
      withKey({ HeadersConfig: { HeaderBehavior: "whitelist", Headers: list("X-A", "x-a") } }),
      "invalid-argument",
    ],
    [
      "not a header name",
      withKey({ HeadersConfig: { HeaderBehavior: "whitelist", Headers: list("a b") } }),
      "invalid-argument",
    ],
    ["a key with caching disabled", { ...withKey({}), MinTTL: 0, DefaultTTL: 0, MaxTTL: 0 }, "invalid-argument"],
  ];
  it.each(rows)("%s", (_what, cfg, expected) => expect(tagOf(validateCachePolicy(cfg))).toBe(expected));

  it("fills DefaultTTL and MaxTTL with CloudFront's defaults, within MinTTL", () => {
    const { DefaultTTL: _d, MaxTTL: _m, ...bare } = cache();
    expect(validateCachePolicy(bare)).toMatchObject({ ok: true, value: { DefaultTTL: 86_400, MaxTTL: 31_536_000 } });
    const high = validateCachePolicy({ ...bare, MinTTL: 100_000 });
    expect(high).toMatchObject({ ok: true, value: { MinTTL: 100_000, DefaultTTL: 100_000, MaxTTL: 31_536_000 } });
  });
});

describe("origin request policy rules", () => {
  const rows: [string, OriginRequestPolicyConfig, string][] = [
    ["valid", orp(), "ok"],
    [
      "11 headers",
      { ...orp(), HeadersConfig: { HeaderBehavior: "whitelist", Headers: many("x-h") } },
      "too-many-headers-in-origin-request-policy",
    ],
    [
      "11 cookies",
      { ...orp(), CookiesConfig: { CookieBehavior: "whitelist", Cookies: many("c") } },
      "too-many-cookies-in-origin-request-policy",
    ],
    [
      "11 query strings",
      { ...orp(), QueryStringsConfig: { QueryStringBehavior: "allExcept", QueryStrings: many("q") } },
      "too-many-query-strings-in-origin-request-policy",
    ],
    [
      "Authorization",
      { ...orp(), HeadersConfig: { HeaderBehavior: "whitelist", Headers: list("Authorization") } },
      "invalid-argument",
    ],
    [
      "allViewer with names",
      { ...orp(), HeadersConfig: { HeaderBehavior: "allViewer", Headers: list("x-a") } },
      "invalid-argument",
    ],
    [
      "a viewer header as a CloudFront header",
      { ...orp(), HeadersConfig: { HeaderBehavior: "allViewerAndWhitelistCloudFront", Headers: list("x-a") } },
      "invalid-argument",
    ],
    [
      "CloudFront headers",
      {
        ...orp(),
        HeadersConfig: {
          HeaderBehavior: "allViewerAndWhitelistCloudFront",
          Headers: list("CloudFront-Viewer-Country"),
        },
      },
      "ok",
    ],
    ["allExcept Host", { ...orp(), HeadersConfig: { HeaderBehavior: "allExcept", Headers: list("host") } }, "ok"],
  ];
  it.each(rows)("%s", (_what, cfg, expected) => expect(tagOf(validateOriginRequestPolicy(cfg))).toBe(expected));
});

describe("response headers policy rules", () => {
  const header = (h: string, v = "v") => ({ Header: h, Value: v, Override: false });
  const rows: [string, ResponseHeadersPolicyConfig, string][] = [
    ["valid CORS", cors(), "ok"],
    ["a wildcard subdomain origin", cors({ AccessControlAllowOrigins: list("https://*.a.example") }), "ok"],
    ["a wildcard in the TLD", cors({ AccessControlAllowOrigins: list("https://a.*") }), "invalid-argument"],
    ["no origin", cors({ AccessControlAllowOrigins: list() }), "invalid-argument"],
    ["no method", cors({ AccessControlAllowMethods: { Quantity: 0, Items: [] } }), "invalid-argument"],
    [
      "* with credentials",
      cors({ AccessControlAllowOrigins: list("*"), AccessControlAllowCredentials: true }),
      "invalid-argument",
    ],
    ["negative max age", cors({ AccessControlMaxAgeSec: -1 }), "invalid-argument"],
    [
      "CSP too long",
      {
        ...rhp(),
        SecurityHeadersConfig: { ContentSecurityPolicy: { Override: true, ContentSecurityPolicy: "a".repeat(1784) } },
      },
      "too-long-csp-in-response-headers-policy",
    ],
    [
      "XSS block and report",
      {
        ...rhp(),
        SecurityHeadersConfig: {
          XSSProtection: { Override: true, Protection: true, ModeBlock: true, ReportUri: "https://r.example/x" },
        },
      },
      "invalid-argument",
    ],
    [
      "XSS block without protection",
      { ...rhp(), SecurityHeadersConfig: { XSSProtection: { Override: true, Protection: false, ModeBlock: true } } },
      "invalid-argument",
    ],
    ["sampling rate 100", { ...rhp(), ServerTimingHeadersConfig: { Enabled: true, SamplingRate: 100 } }, "ok"],
    [
      "sampling rate -1",
      { ...rhp(), ServerTimingHeadersConfig: { Enabled: true, SamplingRate: -1 } },
      "invalid-argument",
    ],
    [
      "sampling rate with 5 decimals",
      { ...rhp(), ServerTimingHeadersConfig: { Enabled: true, SamplingRate: 1.00001 } },
      "invalid-argument",
    ],
    ["enabled without a rate", { ...rhp(), ServerTimingHeadersConfig: { Enabled: true } }, "invalid-argument"],
    [
      "11 custom headers",
      { ...rhp(), CustomHeadersConfig: { Quantity: 11, Items: many("x-c").Items.map((h) => header(h)) } },
      "too-many-custom-headers-in-response-headers-policy",
    ],
    [
      "a custom header twice",
      { ...rhp(), CustomHeadersConfig: { Quantity: 2, Items: [header("X-A"), header("x-a")] } },
      "invalid-argument",
    ],
    [
      "a custom CORS header",
      { ...rhp(), CustomHeadersConfig: { Quantity: 1, Items: [header("Access-Control-Allow-Origin")] } },
      "invalid-argument",
    ],
    ["a custom Via", { ...rhp(), CustomHeadersConfig: { Quantity: 1, Items: [header("Via")] } }, "invalid-argument"],
    [
      "a custom value with a newline",
      { ...rhp(), CustomHeadersConfig: { Quantity: 1, Items: [header("x-a", "a\nb")] } },
      "invalid-argument",
    ],
    [
      "11 removed headers",
      { ...rhp(), RemoveHeadersConfig: { Quantity: 11, Items: many("x-r").Items.map((h) => ({ Header: h })) } },
      "too-many-remove-headers-in-response-headers-policy",
    ],
    [
      "removing Content-Length",
      { ...rhp(), RemoveHeadersConfig: { Quantity: 1, Items: [{ Header: "Content-Length" }] } },
      "invalid-argument",
    ],
    [
      "removing X-Amz-Cf-Pop",
      { ...rhp(), RemoveHeadersConfig: { Quantity: 1, Items: [{ Header: "X-Amz-Cf-Pop" }] } },
      "invalid-argument",
    ],
    ["removing Server", { ...rhp(), RemoveHeadersConfig: { Quantity: 1, Items: [{ Header: "Server" }] } }, "ok"],
  ];
  it.each(rows)("%s", (_what, cfg, expected) => expect(tagOf(validateResponseHeadersPolicy(cfg))).toBe(expected));
});

describe("managed policies", () => {
  it("every managed config passes its kind's rules", () => {
    for (const p of managedPolicies("cache")) expect(tagOf(validateCachePolicy(p.config)), p.id).toBe("ok");
    for (const p of managedPolicies("response-headers"))
      expect(tagOf(validateResponseHeadersPolicy(p.config)), p.id).toBe("ok");
    // Elemental-MediaTailor forwards X-Forwarded-For, which a custom policy may list too.
    for (const p of managedPolicies("origin-request"))
      expect(tagOf(validateOriginRequestPolicy(p.config)), p.id).toBe("ok");
  });
});
