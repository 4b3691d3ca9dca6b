/**
 * AWS's managed policies, as CloudFront lists them (Developer Guide: "Use managed cache policies", "Use managed
 * origin request policies", "Use managed response headers policies"): every account sees them, with these ids and
 * configs, and cannot change or delete them. The configs are the documented settings in the API's form, so
 * Get/List return them and the edge compiles them exactly like custom policies. (The Amplify Hosting cache
 * policies, which AWS reserves for Amplify's own distributions, are not listed.)
 */
import type {
  BehaviorPolicyRecord,
  CachePolicyConfig,
  ConfigOf,
  OriginRequestPolicyConfig,
  PolicyKind,
  ResponseHeadersPolicyConfig,
} from "./types.js";

const list = <T>(items: T[]): { Quantity: number; Items: T[] } => ({ Quantity: items.length, Items: items });
const YEAR = 31_536_000;

type CacheKey = NonNullable<CachePolicyConfig["ParametersInCacheKeyAndForwardedToOrigin"]>;
const NO_KEY: Omit<CacheKey, "EnableAcceptEncodingGzip" | "EnableAcceptEncodingBrotli"> = {
  HeadersConfig: { HeaderBehavior: "none" },
  CookiesConfig: { CookieBehavior: "none" },
  QueryStringsConfig: { QueryStringBehavior: "none" },
};
const ORIGIN_CACHE_CONTROL_HEADERS = ["host", "origin", "x-http-method-override", "x-http-method", "x-method-override"];

const CACHE: Record<string, CachePolicyConfig> = {
  "2e54312d-136d-493c-8eb9-b001f22f67d2": {
    Comment: "Policy for Amplify Origin",
    Name: "Managed-Amplify",
    DefaultTTL: 2,
    MaxTTL: 600,
    MinTTL: 2,
    ParametersInCacheKeyAndForwardedToOrigin: {
      EnableAcceptEncodingGzip: true,
      EnableAcceptEncodingBrotli: true,
      HeadersConfig: {
        HeaderBehavior: "whitelist",
        Headers: list(["Authorization", "CloudFront-Viewer-Country", "Host"]),
      },
      CookiesConfig: { CookieBehavior: "all" },
      QueryStringsConfig: { QueryStringBehavior: "all" },
    },
  },
  "4135ea2d-6df8-44a3-9df3-4b5a84be39ad": {
    Comment: "Policy with caching disabled",
    Name: "Managed-CachingDisabled",
    DefaultTTL: 0,
    MaxTTL: 0,
    MinTTL: 0,
    ParametersInCacheKeyAndForwardedToOrigin: {
      EnableAcceptEncodingGzip: false,
      EnableAcceptEncodingBrotli: false,
      ...NO_KEY,
    },
  },
  "658327ea-f89d-4fab-a63d-7e88639e58f6": {
    Comment: "Policy with caching enabled. Supports Gzip and Brotli compression.",
    Name: "Managed-CachingOptimized",
    DefaultTTL: 86_400,
    MaxTTL: YEAR,
    MinTTL: 1,
    ParametersInCacheKeyAndForwardedToOrigin: {
      EnableAcceptEncodingGzip: true,
      EnableAcceptEncodingBrotli: true,
      ...NO_KEY,
    },
  },
  "b2884449-e4de-46a7-ac36-70bc7f1ddd6d": {
    Comment: "Default policy when compression is disabled",
    Name: "Managed-CachingOptimizedForUncompressedObjects",
    DefaultTTL: 86_400,
    MaxTTL: YEAR,
    MinTTL: 1,
    ParametersInCacheKeyAndForwardedToOrigin: {
      EnableAcceptEncodingGzip: false,
      EnableAcceptEncodingBrotli: false,
      ...NO_KEY,
    },
  },
  "08627262-05a9-4f76-9ded-b50ca2e3a84f": {
    Comment: "Policy for Elemental MediaPackage Origin",
    Name: "Managed-Elemental-MediaPackage",
    DefaultTTL: 86_400,
    MaxTTL: YEAR,
    MinTTL: 0,
    ParametersInCacheKeyAndForwardedToOrigin: {
      EnableAcceptEncodingGzip: true,
      EnableAcceptEncodingBrotli: false,
      HeadersConfig: { HeaderBehavior: "whitelist", Headers: list(["origin"]) },
      CookiesConfig: { CookieBehavior: "none" },
      QueryStringsConfig: {
        QueryStringBehavior: "whitelist",
        QueryStrings: list(["aws.manifestfilter", "start", "end", "m"]),
      },
    },
  },
  "83da9c7e-98b4-4e11-a168-04f0df8e2c65": {
    Comment: "Policy for origins that return Cache-Control headers. Query strings are not included in the cache key.",
    Name: "Managed-UseOriginCacheControlHeaders",
    DefaultTTL: 0,
    MaxTTL: YEAR,
    MinTTL: 0,
    ParametersInCacheKeyAndForwardedToOrigin: {
      EnableAcceptEncodingGzip: true,
      EnableAcceptEncodingBrotli: true,
      HeadersConfig: { HeaderBehavior: "whitelist", Headers: list(ORIGIN_CACHE_CONTROL_HEADERS) },
      CookiesConfig: { CookieBehavior: "all" },
      QueryStringsConfig: { QueryStringBehavior: "none" },
    },
  },
  "4cc15a8a-d715-48a4-82b8-cc0b614638fe": {
    Comment:
      "Policy for origins that return Cache-Control headers and serve different content based on values present in the query string.",
    Name: "Managed-UseOriginCacheControlHeaders-QueryStrings",
    DefaultTTL: 0,
    MaxTTL: YEAR,
    MinTTL: 0,
    ParametersInCacheKeyAndForwardedToOrigin: {
      EnableAcceptEncodingGzip: true,
      EnableAcceptEncodingBrotli: true,
      HeadersConfig: { HeaderBehavior: "whitelist", Headers: list(ORIGIN_CACHE_CONTROL_HEADERS) },
      CookiesConfig: { CookieBehavior: "all" },
      QueryStringsConfig: { QueryStringBehavior: "all" },
    },
  },
};

/** The CloudFront headers AllViewerAndCloudFrontHeaders-2022-06 adds (those released through June 2022). */
const CLOUDFRONT_HEADERS_2022_06 = [
  "CloudFront-Forwarded-Proto",
  "CloudFront-Is-Android-Viewer",
  "CloudFront-Is-Desktop-Viewer",
  "CloudFront-Is-IOS-Viewer",
  "CloudFront-Is-Mobile-Viewer",
  "CloudFront-Is-SmartTV-Viewer",
  "CloudFront-Is-Tablet-Viewer",
  "CloudFront-Viewer-Address",
  "CloudFront-Viewer-ASN",
  "CloudFront-Viewer-City",
  "CloudFront-Viewer-Country",
  "CloudFront-Viewer-Country-Name",
  "CloudFront-Viewer-Country-Region",
  "CloudFront-Viewer-Country-Region-Name",
  "CloudFront-Viewer-Http-Version",
  "CloudFront-Viewer-Latitude",
  "CloudFront-Viewer-Longitude",
  "CloudFront-Viewer-Metro-Code",
  "CloudFront-Viewer-Postal-Code",
  "CloudFront-Viewer-Time-Zone",
  "CloudFront-Viewer-TLS",
];

const ALL = { CookiesConfig: { CookieBehavior: "all" }, QueryStringsConfig: { QueryStringBehavior: "all" } } as const;
const NOTHING_ELSE = {
  CookiesConfig: { CookieBehavior: "none" },
  QueryStringsConfig: { QueryStringBehavior: "none" },
} as const;

const ORIGIN_REQUEST: Record<string, OriginRequestPolicyConfig> = {
  "216adef6-5c7f-47e4-b989-5492eafa07d3": {
    Comment: "Policy to forward all parameters in viewer requests",
    Name: "Managed-AllViewer",
    HeadersConfig: { HeaderBehavior: "allViewer" },
    ...ALL,
  },
  "33f36d7e-f396-46d9-90e0-52428a34d9dc": {
    Comment: "Policy to forward all parameters in viewer requests and all CloudFront headers as of June 2022",
    Name: "Managed-AllViewerAndCloudFrontHeaders-2022-06",
    HeadersConfig: { HeaderBehavior: "allViewerAndWhitelistCloudFront", Headers: list(CLOUDFRONT_HEADERS_2022_06) },
    ...ALL,
  },
  "b689b0a8-53d0-40ab-baf2-68738e2966ac": {
    Comment: "Policy to forward all parameters in viewer requests except for the Host header",
    Name: "Managed-AllViewerExceptHostHeader",
    HeadersConfig: { HeaderBehavior: "allExcept", Headers: list(["host"]) },
    ...ALL,
  },
  "59781a5b-3903-41f3-afcb-af62929ccde1": {
    Comment: "Policy for Custom Origin with CORS",
    Name: "Managed-CORS-CustomOrigin",
    HeadersConfig: { HeaderBehavior: "whitelist", Headers: list(["origin"]) },
    ...NOTHING_ELSE,
  },
  "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf": {
    Comment: "Policy for S3 origin with CORS",
    Name: "Managed-CORS-S3Origin",
    HeadersConfig: {
      HeaderBehavior: "whitelist",
      Headers: list(["origin", "access-control-request-headers", "access-control-request-method"]),
    },
    ...NOTHING_ELSE,
  },
  "775133bc-15f2-49f9-abea-afb2e0bf67d2": {
    Comment: "Policy for Elemental MediaTailor Origin",
    Name: "Managed-Elemental-MediaTailor-PersonalizedManifests",
    HeadersConfig: {
      HeaderBehavior: "whitelist",
      Headers: list([
        "origin",
        "access-control-request-headers",
        "x-forwarded-for",
        "access-control-request-method",
        "user-agent",
      ]),
    },
    CookiesConfig: { CookieBehavior: "none" },
    QueryStringsConfig: { QueryStringBehavior: "all" },
  },
  "bf0718e1-ba1e-49d1-88b1-f726733018ae": {
    Comment: "Policy to forward the Host header only",
    Name: "Managed-HostHeaderOnly",
    HeadersConfig: { HeaderBehavior: "whitelist", Headers: list(["host"]) },
    ...NOTHING_ELSE,
  },
  "acba4595-bd28-49b8-b9fe-13317c0390fa": {
    Comment: "Policy to forward user-agent and referer headers",
    Name: "Managed-UserAgentRefererHeaders",
    HeadersConfig: { HeaderBehavior: "whitelist", Headers: list(["user-agent", "referer"]) },
    ...NOTHING_ELSE,
  },
};

type Cors = NonNullable<ResponseHeadersPolicyConfig["CorsConfig"]>;
const SIMPLE_CORS: Cors = {
  AccessControlAllowOrigins: list(["*"]),
  AccessControlAllowHeaders: list<string>([]),
  AccessControlAllowMethods: list(["ALL"]),
  AccessControlAllowCredentials: false,
  OriginOverride: false,
};
const PREFLIGHT_CORS: Cors = { ...SIMPLE_CORS, AccessControlExposeHeaders: list(["*"]) };
const SECURITY: ResponseHeadersPolicyConfig["SecurityHeadersConfig"] = {
  XSSProtection: { Override: false, Protection: true, ModeBlock: true },
  FrameOptions: { Override: false, FrameOption: "SAMEORIGIN" },
  ReferrerPolicy: { Override: false, ReferrerPolicy: "strict-origin-when-cross-origin" },
  ContentTypeOptions: { Override: true },
  StrictTransportSecurity: {
    Override: false,
    IncludeSubdomains: false,
    Preload: false,
    AccessControlMaxAgeSec: YEAR,
  },
};

const RESPONSE_HEADERS: Record<string, ResponseHeadersPolicyConfig> = {
  "60669652-455b-4ae9-85a4-c4c02393f86c": {
    Comment: "Allows all origins for simple CORS requests",
    Name: "Managed-SimpleCORS",
    CorsConfig: SIMPLE_CORS,
  },
  "5cc3b908-e619-4b99-88e5-2cf7f45965bd": {
    Comment: "Allows all origins for CORS requests, including preflight requests",
    Name: "Managed-CORS-With-Preflight",
    CorsConfig: PREFLIGHT_CORS,
  },
  "67f7725c-6f97-4210-82d7-5512b31e9d03": {
    Comment: "Adds a set of security headers to every response",
    Name: "Managed-SecurityHeadersPolicy",
    SecurityHeadersConfig: SECURITY,
  },
  "e61eb60c-9c35-4d20-a928-2b84e02af89c": {
    Comment: "Allows all origins for simple CORS requests and adds security headers",
    Name: "Managed-CORS-and-SecurityHeadersPolicy",
    CorsConfig: SIMPLE_CORS,
    SecurityHeadersConfig: SECURITY,
  },
  "eaab4381-ed33-4a86-88ca-d9558dc6cd63": {
    Comment: "Allows all origins for CORS requests, including preflight requests, and adds security headers",
    Name: "Managed-CORS-with-preflight-and-SecurityHeadersPolicy",
    CorsConfig: PREFLIGHT_CORS,
    SecurityHeadersConfig: SECURITY,
  },
};

const TABLES: { [K in PolicyKind]: Record<string, ConfigOf[K]> } = {
  cache: CACHE,
  "origin-request": ORIGIN_REQUEST,
  "response-headers": RESPONSE_HEADERS,
};

/** When AWS last changed the managed policies, as far as splitfront knows: their LastModifiedTime. */
const MANAGED_SINCE = "2022-06-01T00:00:00.000Z";

/** A stable ETag per managed policy (E + 13 upper-case alphanumerics, derived from the id). */
function managedEtag(id: string): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  let h = 2166136261;
  let out = "E";
  for (let i = 0; out.length < 14; i++) {
    h = Math.imul(h ^ id.charCodeAt(i % id.length), 16777619) >>> 0;
    out += alphabet[h % alphabet.length];
  }
  return out;
}

const RECORDS: { [K in PolicyKind]: BehaviorPolicyRecord<K>[] } = {
  cache: toRecords("cache"),
  "origin-request": toRecords("origin-request"),
  "response-headers": toRecords("response-headers"),
};

function toRecords<K extends PolicyKind>(kind: K): BehaviorPolicyRecord<K>[] {
  const table: Record<string, ConfigOf[K]> = TABLES[kind];
  return Object.entries(table).map(([id, config]) => ({
    kind,
    id,
    etag: managedEtag(id),
    lastModified: MANAGED_SINCE,
    seq: 0,
    config,
  }));
}

/** The managed policies of a kind, in the order CloudFront documents them. */
export const managedPolicies = <K extends PolicyKind>(kind: K): readonly BehaviorPolicyRecord<K>[] => RECORDS[kind];

export function managedPolicy<K extends PolicyKind>(kind: K, id: string): BehaviorPolicyRecord<K> | undefined {
  return managedPolicies(kind).find((p) => p.id === id);
}

export const isManaged = (kind: PolicyKind, id: string): boolean => managedPolicy(kind, id) !== undefined;
