/**
 * CloudFront's numbers for a DistributionConfig: quotas (Developer Guide, "Quotas"; the defaults, since an
 * account's raised quotas are not knowable here), value ranges (API Reference / botocore model documentation) and
 * the fixed lists CloudFront accepts. Where CloudFront documents no bound, splitfront sets its own guard so that
 * no member is unbounded; those are marked "guard".
 */

/** Alternate domain names (CNAMEs) per distribution. */
export const MAX_ALIASES = 100;
/** Origins per distribution. */
export const MAX_ORIGINS = 100;
/** Origin groups per distribution. */
export const MAX_ORIGIN_GROUPS = 10;
/** Cache behaviours per distribution (besides the default one). */
export const MAX_CACHE_BEHAVIORS = 75;

/** Origin custom headers: per origin, name length, value length, and all names and values together. */
export const MAX_CUSTOM_HEADERS = 30;
export const MAX_CUSTOM_HEADER_NAME = 256;
export const MAX_CUSTOM_HEADER_VALUE = 1783;
export const MAX_CUSTOM_HEADERS_TOTAL = 10_240;

/** Legacy cache settings (ForwardedValues): whitelisted headers, cookies and query strings per behaviour. */
export const MAX_FORWARDED_HEADERS = 10;
export const MAX_FORWARDED_COOKIES = 10;
export const MAX_QUERY_STRING_KEYS = 10;

/** ConnectionAttempts 1–3, ConnectionTimeout 1–10 s (fixed quotas). */
export const CONNECTION_ATTEMPTS = { min: 1, max: 3 } as const;
export const CONNECTION_TIMEOUT_S = { min: 1, max: 10 } as const;
/**
 * OriginReadTimeout and OriginKeepaliveTimeout: 1–120 s by default, up to 180 s with a quota increase (the hard
 * limit). splitfront cannot see an account's quota, so it accepts the hard limit.
 */
export const ORIGIN_READ_TIMEOUT_S = { min: 1, max: 180 } as const;
export const ORIGIN_KEEPALIVE_TIMEOUT_S = { min: 1, max: 180 } as const;

/** HTTPPort and HTTPSPort: "Valid values include ports 80, 443, and 1024 to 65535" (Developer Guide, both ports). */
export const isAllowedOriginPort = (p: number): boolean => p === 80 || p === 443 || (p >= 1024 && p <= 65535);

/** Comment: "up to 128 characters". */
export const MAX_COMMENT = 128;
/** DefaultRootObject and PathPattern: 255 characters. */
export const MAX_ROOT_OBJECT = 255;
export const MAX_PATH_PATTERN = 255;
/** guard: CallerReference, origin and origin group ids, and other free identifiers. */
export const MAX_IDENTIFIER = 1024;
/** guard: OriginPath, ResponsePagePath and the logging Prefix. */
export const MAX_PATH = 4096;
/** guard: TTLs (seconds) stay below 100 years, so that every TTL in milliseconds is an exact number. */
export const MAX_TTL_S = 3_153_600_000;

/** AllowedMethods: GET+HEAD, GET+HEAD+OPTIONS, or all seven; CachedMethods: GET+HEAD or GET+HEAD+OPTIONS. */
export const ALLOWED_METHOD_SETS: readonly (readonly string[])[] = [
  ["GET", "HEAD"],
  ["GET", "HEAD", "OPTIONS"],
  ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"],
];
export const CACHED_METHOD_SETS: readonly (readonly string[])[] = [
  ["GET", "HEAD"],
  ["GET", "HEAD", "OPTIONS"],
];

/** The HTTP status codes a custom error response may be configured for (the console's and Developer Guide's list). */
export const CUSTOM_ERROR_CODES: ReadonlySet<number> = new Set([400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504]);
/** The status codes CloudFront may return with a custom error page: 200 or one of the error codes. */
export const CUSTOM_RESPONSE_CODES: ReadonlySet<string> = new Set(["200", ...[...CUSTOM_ERROR_CODES].map(String)]);
/** The status codes an origin group may fail over on (Developer Guide, "Create an origin group"). */
export const FAILOVER_STATUS_CODES: ReadonlySet<number> = new Set([400, 403, 404, 416, 500, 502, 503, 504]);

/**
 * Headers CloudFront cannot add to origin requests (Developer Guide, "Custom headers that CloudFront can't add to
 * origin requests"), lower case; also every name beginning with x-amz- or x-edge-.
 */
export const FORBIDDEN_CUSTOM_HEADERS: ReadonlySet<string> = new Set([
  "cache-control",
  "connection",
  "content-length",
  "cookie",
  "host",
  "if-match",
  "if-modified-since",
  "if-none-match",
  "if-range",
  "if-unmodified-since",
  "max-forwards",
  "pragma",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "range",
  "request-range",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "via",
  "x-real-ip",
]);
export const FORBIDDEN_CUSTOM_HEADER_PREFIXES: readonly string[] = ["x-amz-", "x-edge-"];

/** Lambda@Edge: one association per event type; CloudFront Functions: viewer events only. */
export const MAX_LAMBDA_ASSOCIATIONS = 4;
export const MAX_FUNCTION_ASSOCIATIONS = 2;
