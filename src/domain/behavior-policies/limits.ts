/**
 * CloudFront's quotas and fixed lists for cache, origin request and response headers policies (Developer Guide,
 * "Quotas": policies; "Understand response headers policies"; "Cache key and origin requests"): the default
 * quotas, since an account's raised ones cannot be known here. TTL ranges and the header-name lexicon are the
 * distribution's (../distribution/limits.ts, ../distribution/syntax.ts).
 */

/** Custom policies of one kind per account. */
export const MAX_POLICIES_PER_KIND = 20;
/** Distributions that may reference one policy. */
export const MAX_DISTRIBUTIONS_PER_POLICY = 100;
/** Headers, cookies and query strings in a cache policy's key, and in an origin request policy. */
export const MAX_CACHE_KEY_ITEMS = 10;
export const MAX_ORIGIN_REQUEST_ITEMS = 10;
/** guard: CloudFront headers an origin request policy adds (allViewerAndWhitelistCloudFront); about 30 exist. */
export const MAX_CLOUDFRONT_HEADERS = 64;
/** Response headers policies: custom headers, headers to remove, Content-Security-Policy length. */
export const MAX_CUSTOM_RESPONSE_HEADERS = 10;
export const MAX_REMOVE_HEADERS = 10;
export const MAX_CSP_LENGTH = 1783;
export const MAX_RESPONSE_HEADER_VALUE = 1783;
/** All custom header names and values of one response headers policy together. */
export const MAX_CUSTOM_RESPONSE_HEADERS_TOTAL = 10_240;
/** Name: letters, digits, hyphens and underscores, up to 128; Comment: up to 128 characters. */
export const MAX_POLICY_NAME = 128;
export const MAX_POLICY_COMMENT = 128;
/** Default DefaultTTL and MaxTTL of a cache policy that leaves them out. */
export const DEFAULT_TTL = 86_400;
export const DEFAULT_MAX_TTL = 31_536_000;

/**
 * Request headers no policy may name: hop-by-hop and framing headers, the ones CloudFront sets itself, and those
 * a policy controls through its own settings (Cookie through the cookie lists, Accept-Encoding through
 * EnableAcceptEncodingGzip/Brotli). Lower case; names beginning with x-amz-cf- or x-edge- are refused too.
 */
export const RESERVED_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  "accept-encoding",
  "connection",
  "content-length",
  "cookie",
  "expect",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "via",
  "x-real-ip",
]);
export const RESERVED_HEADER_PREFIXES: readonly string[] = ["x-amz-cf-", "x-edge-"];
/** An origin request policy cannot forward Authorization: only a cache policy can (it must be in the cache key). */
export const ORIGIN_REQUEST_ONLY_VIA_CACHE_POLICY: ReadonlySet<string> = new Set(["authorization"]);

/**
 * Response headers a response headers policy may not remove (Developer Guide, "Headers that you can't remove"),
 * lower case; also every name beginning with x-amz-cf- or x-edge-. The same headers cannot be added as custom
 * headers.
 */
export const UNREMOVABLE_RESPONSE_HEADERS: ReadonlySet<string> = new Set([
  "connection",
  "content-encoding",
  "content-length",
  "expect",
  "host",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "via",
  "warning",
  "x-accel-buffering",
  "x-accel-charset",
  "x-accel-limit-rate",
  "x-accel-redirect",
  "x-amzn-auth",
  "x-amzn-cf-billing",
  "x-amzn-cf-id",
  "x-amzn-cf-xff",
  "x-amzn-errortype",
  "x-amzn-fle-profile",
  "x-amzn-header-count",
  "x-amzn-header-order",
  "x-amzn-lambda-integration-tag",
  "x-amzn-requestid",
  "x-cache",
  "x-forwarded-proto",
  "x-real-ip",
]);

/**
 * Headers a response headers policy sets through its CORS, security and Server-Timing sections: a custom header
 * may not name them (CloudFront refuses the duplicate).
 */
export const SECTION_RESPONSE_HEADERS: ReadonlySet<string> = new Set([
  "access-control-allow-credentials",
  "access-control-allow-headers",
  "access-control-allow-methods",
  "access-control-allow-origin",
  "access-control-expose-headers",
  "access-control-max-age",
  "content-security-policy",
  "referrer-policy",
  "server-timing",
  "strict-transport-security",
  "x-content-type-options",
  "x-frame-options",
  "x-xss-protection",
]);

export const hasReservedPrefix = (lower: string): boolean => RESERVED_HEADER_PREFIXES.some((p) => lower.startsWith(p));
