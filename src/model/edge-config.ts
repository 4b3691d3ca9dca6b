/**
 * The compiled per-hostname record: the one contract between the control plane (which publishes it to KV after
 * every commit) and the edge (which reads it). Everything one viewer request needs is here, already resolved:
 * no joins, no optionals to re-check, ids and TTLs normalised at publish time. Documented with examples in
 * docs/storage-schema.md; bump EDGE_CONFIG_SCHEMA on any incompatible change.
 */

export const EDGE_CONFIG_SCHEMA = 1;

/** Prefix of every hostname record's KV key. */
export const HOST_KEY_PREFIX = "host:";

/** KV key of a viewer hostname's record (lower-case, no port). */
export const hostKey = (hostname: string): string => `${HOST_KEY_PREFIX}${hostname.toLowerCase()}`;

/**
 * The share of the edge's staleness bound (CONFIG_MEMO_MS) after which it reads a record again in the background
 * (src/edge/config-store.ts): later means fewer KV reads (each isolate reads a busy host once per
 * `memoMs * REFRESH_FROM`), earlier more time for the read to land before the bound. At 3/4 rather than 1/2: a
 * third fewer KV reads, which Cloudflare bills (bench:instructions prices one: bench/README.md).
 */
export const REFRESH_FROM = 0.75;

export type EdgeConfig = ViewerHostConfig | StagingHostConfig;

/** A hostname (domain name or alias) of an enabled primary distribution. */
export interface ViewerHostConfig {
  schema: typeof EDGE_CONFIG_SCHEMA;
  kind: "viewer";
  host: string;
  /** Monotonic publish counter of the control plane; lets tests and benchmarks see when an update has landed. */
  version: number;
  primary: EdgeDistribution;
  /** The attached continuous deployment policy, or null when none is attached. */
  policy: EdgePolicy | null;
  /** The staging distribution the attached policy names; null when no policy is attached. */
  staging: EdgeDistribution | null;
  /**
   * Present while preview links issued for this primary may still be open (Unix seconds: the latest expiry): only
   * then does the edge look for a link's token in the query string or, outside sticky mode, for a preview session
   * in the cookie. Absent in records of primaries that never had a preview link (they pay nothing for the feature).
   */
  previewUntil?: number;
}

/** The domain name of a staging distribution: viewers are refused here, as CloudFront refuses them. */
export interface StagingHostConfig {
  schema: typeof EDGE_CONFIG_SCHEMA;
  kind: "staging";
  host: string;
  version: number;
  stagingDistributionId: string;
}

export interface EdgePolicy {
  id: string;
  enabled: boolean;
  /**
   * Session epoch: bumped by the control plane whenever every sticky session must end (the policy is enabled or
   * disabled, or stickiness is switched on or off). A weight change alone does not bump it.
   */
  epoch: number;
  traffic: EdgeTraffic;
  /**
   * Present while a rollout drives this policy's weight (docs/extensions-api.md): `traffic.weight` is then the
   * rollout's step weight, not the one the policy's client set. Informational; the edge reads `traffic` only.
   */
  rolloutId?: string;
}

export type EdgeTraffic =
  | {
      type: "SingleHeader";
      /** Header name, lower-cased at publish time (matching is case-insensitive). */
      header: string;
      /** Matched exactly. */
      value: string;
    }
  | {
      type: "SingleWeight";
      /** Share of viewers sent to staging: 0..0.15 as the policy sets it, up to MAX_STAGING_WEIGHT under a rollout. */
      weight: number;
      stickiness: { idleTTL: number; maximumTTL: number } | null;
    };

export interface EdgeDistribution {
  id: string;
  domainName: string;
  enabled: boolean;
  /** "" when none. */
  defaultRootObject: string;
  origins: Record<string, EdgeOrigin>;
  originGroups: Record<string, EdgeOriginGroup>;
  defaultBehavior: EdgeBehavior;
  /** Ordered: the first whose pathPattern matches wins; defaultBehavior applies when none does. */
  behaviors: EdgeBehavior[];
  customErrorResponses: EdgeErrorResponse[];
  geoRestriction: { type: "none" | "whitelist" | "blacklist"; countries: string[] };
  /**
   * Present when the distribution's `Logging` is enabled (CloudFront's standard logs, off by default): the requests
   * it serves write an access-log record. Absent (no log) in records published before logging was honoured.
   */
  logging?: EdgeLogging;
}

export interface EdgeLogging {
  /** `IncludeCookies`: the record carries the viewer's Cookie header. */
  includeCookies: boolean;
  /** `Prefix`, carried in the record (`logPrefix`) so a Logpush filter can route by it; "" when none. */
  prefix: string;
}

export interface EdgeOrigin {
  id: string;
  domainName: string;
  /** "" or a path starting with "/" and not ending with "/". */
  originPath: string;
  customHeaders: [name: string, value: string][];
  protocolPolicy: "http-only" | "https-only" | "match-viewer";
  httpPort: number;
  httpsPort: number;
  /** 1,000..180,000 (OriginReadTimeout 1..180 s, clamped at publish time). */
  readTimeoutMs: number;
  /** 1..3 (clamped at publish time). */
  connectionAttempts: number;
  connectionTimeoutMs: number;
  /**
   * Present when the stored config holds a value no request could be sent with (a domain name that is no host name,
   * a port outside 1..65535, a custom header no HTTP message can carry): the origin is never asked, and viewers get
   * the edge's 502. The reason is for the operator's log. Absent in a usable origin (and in older records).
   */
  unusable?: string;
}

export interface EdgeOriginGroup {
  id: string;
  primaryOriginId: string;
  secondaryOriginId: string;
  failoverStatusCodes: number[];
}

/** Query strings or cookies (names case-sensitive) or headers (lower case): none, all, the listed, all but the listed. */
export type CacheKeyList =
  | { mode: "none" }
  | { mode: "all" }
  | { mode: "allow"; names: string[] }
  | { mode: "allExcept"; names: string[] };

/** The cache key: the viewer values CloudFront caches by (a cache policy's, or legacy ForwardedValues'). */
export interface EdgeCacheKey {
  queryStrings: CacheKeyList;
  cookies: CacheKeyList;
  /** `none`, `allow` (a cache policy or legacy list) or `all` (legacy `*`: the behaviour never caches). */
  headers: CacheKeyList;
  /**
   * EnableAcceptEncodingGzip / EnableAcceptEncodingBrotli: the viewer's Accept-Encoding, normalised to the enabled
   * encodings it accepts (`gzip`, `br` or `br,gzip`), is in the key and is what the origin receives. Absent: neither.
   */
  encodings?: { gzip: boolean; br: boolean };
}

export interface EdgeBehavior {
  /** null for the default cache behaviour. */
  pathPattern: string | null;
  /** An origin id or an origin-group id. */
  targetOriginId: string;
  viewerProtocolPolicy: "allow-all" | "redirect-to-https" | "https-only";
  allowedMethods: string[];
  cachedMethods: string[];
  /** Seconds; resolved from the legacy TTL members or from the cache policy (managed or custom) at publish time. */
  minTTL: number;
  defaultTTL: number;
  maxTTL: number;
  cacheKey: EdgeCacheKey;
  /**
   * What the origin receives of the viewer's request: the cache key's values plus the origin request policy's
   * (legacy ForwardedValues: exactly its lists).
   */
  forwarded: EdgeForwarded;
  /** The response headers policy's compiled content; absent when the behaviour has none (it then costs nothing). */
  responseHeaders?: EdgeResponseHeaders;
  /**
   * The behaviour's CloudFront Functions (their LIVE stage, resolved at publish time). Absent when it has none:
   * such a behaviour runs no function code and pays nothing for the feature (docs/functions.md).
   */
  functions?: EdgeFunctions;
}

export interface EdgeFunctions {
  viewerRequest?: EdgeFunction;
  viewerResponse?: EdgeFunction;
}

/** One published function version, carried in the record so the edge needs no other read to run it. */
export interface EdgeFunction {
  name: string;
  /** The LIVE stage's ETag when the record was compiled: names this version (an isolate keeps it warm by it). */
  etag: string;
  runtime: string;
  /** The source text (CloudFront's limit: 10 KB). */
  code: string;
}

export interface EdgeForwarded {
  queryStrings: CacheKeyList;
  cookies: CacheKeyList;
  /**
   * The viewer headers the origin receives (lower case): `all`, `allExcept` the listed, or only the listed (`allow`,
   * plus the request headers CloudFront always forwards, such as Range and the conditional ones: src/edge/origin.ts).
   * Host and CloudFront-Forwarded-Proto never appear here (see viewerHost, viewerProto). Absent (all) in records
   * published before it existed.
   */
  headers?: HeaderForwarding;
  /**
   * The behaviour forwards the viewer's Host header (a managed AllViewer policy, or Host in the cache key). A
   * subrequest cannot carry it (the runtime writes the origin's own Host), so the origin gets it as
   * X-Forwarded-Host. Absent (false) in records published before it existed.
   */
  viewerHost?: boolean;
  /** The behaviour forwards CloudFront-Forwarded-Proto: the origin is told the viewer's scheme in that header. */
  viewerProto?: boolean;
}

export type HeaderForwarding =
  | { mode: "all" }
  | { mode: "allExcept"; names: string[] }
  | { mode: "allow"; names: string[] };

/** A response headers policy, compiled: what the edge removes, then adds, on every response of the behaviour. */
export interface EdgeResponseHeaders {
  /** Lower-case names removed from the response before anything is added. */
  remove: string[];
  /** Security and custom headers: set unless the response has the header and `override` is false. */
  set: [name: string, value: string, override: boolean][];
  cors?: EdgeCors;
  /** Server-Timing: the percentage (0–100) of responses that carry it; absent when disabled. */
  serverTimingRate?: number;
}

export interface EdgeCors {
  /** `*`, or the allowed origins (lower case, `scheme://host[:port]`, a leading `*.` label as wildcard). */
  allowOrigins: string[];
  allowCredentials: boolean;
  /** Comma-separated header values, "" when the list is empty. */
  allowHeaders: string;
  allowMethods: string;
  exposeHeaders: string;
  /** Access-Control-Max-Age on preflight answers; -1 = not sent. */
  maxAgeSec: number;
  /** The policy's CORS headers replace the origin's. */
  originOverride: boolean;
  /**
   * Preflight requests (OPTIONS with Origin and Access-Control-Request-Method) are answered at the edge, without
   * asking the origin: where the behaviour does not pass OPTIONS on, or the policy's headers would replace the
   * origin's anyway (OriginOverride).
   */
  answerPreflight: boolean;
}

export interface EdgeErrorResponse {
  errorCode: number;
  /** "" when the error is only given another TTL. */
  responsePagePath: string;
  /** 0 = keep the origin's status. */
  responseCode: number;
  errorCachingMinTTL: number;
}

export type Arm = "primary" | "staging";
