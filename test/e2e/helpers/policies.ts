/** Policy configs in the SDK's own types, for the end-to-end tests of cache, origin request and response headers policies. */
import type {
  CachePolicyConfig,
  OriginRequestPolicyConfig,
  ResponseHeadersPolicyConfig,
} from "@aws-sdk/client-cloudfront";

export const names = (...items: string[]) => ({ Quantity: items.length, Items: items });

export function cachePolicy(name: string, overrides: Partial<CachePolicyConfig> = {}): CachePolicyConfig {
  return {
    Name: name,
    Comment: "e2e",
    MinTTL: 1,
    DefaultTTL: 60,
    MaxTTL: 3600,
    ParametersInCacheKeyAndForwardedToOrigin: {
      EnableAcceptEncodingGzip: true,
      EnableAcceptEncodingBrotli: true,
      HeadersConfig: { HeaderBehavior: "whitelist", Headers: names("accept-language") },
      CookiesConfig: { CookieBehavior: "none" },
      QueryStringsConfig: { QueryStringBehavior: "whitelist", QueryStrings: names("v") },
    },
    ...overrides,
  };
}

export function originRequestPolicy(name: string): OriginRequestPolicyConfig {
  return {
    Name: name,
    HeadersConfig: { HeaderBehavior: "whitelist", Headers: names("x-tenant") },
    CookiesConfig: { CookieBehavior: "all" },
    QueryStringsConfig: { QueryStringBehavior: "allExcept", QueryStrings: names("utm_source") },
  };
}

export function responseHeadersPolicy(name: string): ResponseHeadersPolicyConfig {
  return {
    Name: name,
    CorsConfig: {
      AccessControlAllowOrigins: names("https://app.example"),
      AccessControlAllowHeaders: names("x-requested-with"),
      AccessControlAllowMethods: { Quantity: 2, Items: ["GET", "POST"] },
      AccessControlAllowCredentials: true,
      AccessControlMaxAgeSec: 600,
      OriginOverride: true,
    },
    SecurityHeadersConfig: { FrameOptions: { Override: true, FrameOption: "DENY" } },
    ServerTimingHeadersConfig: { Enabled: true, SamplingRate: 12.5 },
    CustomHeadersConfig: { Quantity: 1, Items: [{ Header: "x-policy", Value: "on", Override: false }] },
    RemoveHeadersConfig: { Quantity: 1, Items: [{ Header: "x-powered-by" }] },
  };
}
