/**
 * The rules each policy config must meet on its own, as CloudFront validates it (the Create…Policy and
 * Update…Policy error shapes of the service model, the Developer Guide's quotas and settings): name and comment, a
 * cache policy's TTLs (ordered, CloudFront's defaults filled in) and cache key lists, an origin request policy's
 * lists; a response headers policy's rules are in validate-response-headers.ts. Rules that
 * need the rest of the state (a unique name, quotas per account, policies in use) live in operations.ts. Pure:
 * config in, the config to store (or a refusal) out.
 */
import type {
  CachePolicyCookiesConfig,
  CachePolicyQueryStringsConfig,
  OriginRequestPolicyCookiesConfig,
  OriginRequestPolicyQueryStringsConfig,
} from "@aws-sdk/client-cloudfront";
import { MAX_TTL_S } from "../distribution/limits.js";
import { hasControlChar, isToken } from "../distribution/syntax.js";
import { type ConfigErrorTag, invalid, ok, type Result, refuse } from "../result.js";
import {
  DEFAULT_MAX_TTL,
  DEFAULT_TTL,
  hasReservedPrefix,
  MAX_CACHE_KEY_ITEMS,
  MAX_CLOUDFRONT_HEADERS,
  MAX_ORIGIN_REQUEST_ITEMS,
  ORIGIN_REQUEST_ONLY_VIA_CACHE_POLICY,
  RESERVED_REQUEST_HEADERS,
} from "./limits.js";
import type {
  CachePolicyConfig,
  ConfigOf,
  OriginRequestPolicyConfig,
  PolicyKind,
  ResponseHeadersPolicyConfig,
} from "./types.js";
import { itemsOf, type NameList, nameAndComment } from "./validate-names.js";
import { validateResponseHeadersPolicy } from "./validate-response-headers.js";

export function validatePolicyConfig<K extends PolicyKind>(kind: K, cfg: ConfigOf[K]): Result<ConfigOf[K]>;
export function validatePolicyConfig(kind: PolicyKind, cfg: ConfigOf[PolicyKind]): Result<ConfigOf[PolicyKind]> {
  switch (kind) {
    case "cache":
      return validateCachePolicy(cfg as CachePolicyConfig);
    case "origin-request":
      return validateOriginRequestPolicy(cfg as OriginRequestPolicyConfig);
    case "response-headers":
      return validateResponseHeadersPolicy(cfg as ResponseHeadersPolicyConfig);
    default:
      return kind satisfies never;
  }
}

/**
 * A behaviour that takes no list (`none`, `all`, `allViewer`) must not carry one; one that takes a list must have
 * 1 to `max` distinct items of the right form. `what` names the list in messages, `tooMany` is the quota's code.
 */
function checkList(
  behavior: string,
  takesList: boolean,
  list: NameList | undefined,
  max: number,
  tooMany: ConfigErrorTag,
  what: string,
  wellFormed: (name: string) => string | null,
): Result<true> {
  const items = itemsOf(list);
  if (!takesList) {
    return items.length === 0 ? ok(true) : invalid(`${what} cannot be listed when the behavior is ${behavior}.`);
  }
  if (items.length === 0) return invalid(`${what} must list at least one name when the behavior is ${behavior}.`);
  if (items.length > max) return refuse(tooMany, `The number of ${what.toLowerCase()} exceeds the maximum (${max}).`);
  const seen = new Set<string>();
  for (const item of items) {
    const problem = wellFormed(item);
    if (problem !== null) return invalid(`${what}: ${problem}`);
    const key = what === "Headers" ? item.toLowerCase() : item;
    if (seen.has(key)) return invalid(`${what}: ${item} is listed more than once.`);
    seen.add(key);
  }
  return ok(true);
}

/** A header name a request-side policy may list. */
function requestHeaderName(name: string): string | null {
  if (!isToken(name) || name.length > 256) return `${name.slice(0, 64)} is not a valid header name.`;
  const lower = name.toLowerCase();
  if (RESERVED_REQUEST_HEADERS.has(lower) || hasReservedPrefix(lower)) return `${name} cannot be listed in a policy.`;
  return null;
}

/** A cookie name or query string name: visible characters, no separators that would change its meaning. */
function parameterName(name: string): string | null {
  return name === "" || name.length > 256 || hasControlChar(name) || /[\s;,=]/.test(name)
    ? `${name.slice(0, 64)} is not a valid name.`
    : null;
}

type CookiesConfig = CachePolicyCookiesConfig | OriginRequestPolicyCookiesConfig;
type QueryStringsConfig = CachePolicyQueryStringsConfig | OriginRequestPolicyQueryStringsConfig;

function cookiesAndQueryStrings(
  cookies: CookiesConfig | undefined,
  queryStrings: QueryStringsConfig | undefined,
  max: number,
  tooManyCookies: ConfigErrorTag,
  tooManyQueryStrings: ConfigErrorTag,
): Result<true> {
  if (cookies === undefined) return invalid("The parameter CookiesConfig is required.");
  if (queryStrings === undefined) return invalid("The parameter QueryStringsConfig is required.");
  const cb = cookies.CookieBehavior ?? "none";
  const c = checkList(
    cb,
    cb === "whitelist" || cb === "allExcept",
    cookies.Cookies,
    max,
    tooManyCookies,
    "Cookies",
    parameterName,
  );
  if (!c.ok) return c;
  const qb = queryStrings.QueryStringBehavior ?? "none";
  return checkList(
    qb,
    qb === "whitelist" || qb === "allExcept",
    queryStrings.QueryStrings,
    max,
    tooManyQueryStrings,
    "QueryStrings",
    parameterName,
  );
}

/** CloudFront's InvalidTTLOrder text (a cache policy answers it as InvalidArgument: no such shape on the operation). */
const TTL_ORDER =
  "MinTTL, MaxTTL and DefaultTTL should follow order MinTTL less than or equal to DefaultTTL less than or equal to MaxTTL";

export function validateCachePolicy(cfg: CachePolicyConfig): Result<CachePolicyConfig> {
  const named = nameAndComment(cfg);
  if (!named.ok) return named;
  const min = cfg.MinTTL ?? 0;
  // CloudFront's defaults: MaxTTL one year (or MinTTL, when that is larger), DefaultTTL one day within them.
  const max = cfg.MaxTTL ?? Math.max(DEFAULT_MAX_TTL, min);
  const dflt = cfg.DefaultTTL ?? Math.min(Math.max(DEFAULT_TTL, min), max);
  if ([min, dflt, max].some((t) => t < 0 || t > MAX_TTL_S)) {
    return invalid(`The TTLs must be between 0 and ${MAX_TTL_S} seconds.`);
  }
  if (!(min <= dflt && dflt <= max)) return invalid(TTL_ORDER);
  const p = cfg.ParametersInCacheKeyAndForwardedToOrigin;
  if (p === undefined) return invalid("The parameter ParametersInCacheKeyAndForwardedToOrigin is required.");
  const hb = p.HeadersConfig?.HeaderBehavior ?? "none";
  const headers = checkList(
    hb,
    hb === "whitelist",
    p.HeadersConfig?.Headers,
    MAX_CACHE_KEY_ITEMS,
    "too-many-headers-in-cache-policy",
    "Headers",
    requestHeaderName,
  );
  if (!headers.ok) return headers;
  const rest = cookiesAndQueryStrings(
    p.CookiesConfig,
    p.QueryStringsConfig,
    MAX_CACHE_KEY_ITEMS,
    "too-many-cookies-in-cache-policy",
    "too-many-query-strings-in-cache-policy",
  );
  if (!rest.ok) return rest;
  // With caching disabled nothing is cached, so nothing can be in a cache key (CloudFront refuses the settings).
  if (max === 0) {
    const keyed =
      hb !== "none" ||
      (p.CookiesConfig?.CookieBehavior ?? "none") !== "none" ||
      (p.QueryStringsConfig?.QueryStringBehavior ?? "none") !== "none" ||
      p.EnableAcceptEncodingGzip === true ||
      p.EnableAcceptEncodingBrotli === true;
    if (keyed) {
      return invalid(
        "The cache key settings (headers, cookies, query strings, EnableAcceptEncodingGzip, EnableAcceptEncodingBrotli) must be none or false when caching is disabled (MaxTTL 0).",
      );
    }
  }
  return ok({ ...cfg, DefaultTTL: dflt, MaxTTL: max, MinTTL: min });
}

/** The CloudFront headers allViewerAndWhitelistCloudFront may add: CloudFront-* names only. */
const isCloudFrontHeader = (name: string): boolean => /^cloudfront-[a-z0-9-]+$/i.test(name);

export function validateOriginRequestPolicy(cfg: OriginRequestPolicyConfig): Result<OriginRequestPolicyConfig> {
  const named = nameAndComment(cfg);
  if (!named.ok) return named;
  const h = cfg.HeadersConfig;
  if (h === undefined) return invalid("The parameter HeadersConfig is required.");
  const hb = h.HeaderBehavior ?? "none";
  const cloudFrontList = hb === "allViewerAndWhitelistCloudFront";
  const headers = checkList(
    hb,
    hb === "whitelist" || hb === "allExcept" || cloudFrontList,
    h.Headers,
    // CloudFront's own headers are not viewer headers: AWS's AllViewerAndCloudFrontHeaders-2022-06 lists 21.
    cloudFrontList ? MAX_CLOUDFRONT_HEADERS : MAX_ORIGIN_REQUEST_ITEMS,
    "too-many-headers-in-origin-request-policy",
    "Headers",
    (name) => {
      if (cloudFrontList && !isCloudFrontHeader(name)) {
        return `${name} is not a CloudFront header (allViewerAndWhitelistCloudFront lists CloudFront-* headers).`;
      }
      if (ORIGIN_REQUEST_ONLY_VIA_CACHE_POLICY.has(name.toLowerCase())) {
        return `${name} can be forwarded only by including it in a cache policy.`;
      }
      return requestHeaderName(name);
    },
  );
  if (!headers.ok) return headers;
  const rest = cookiesAndQueryStrings(
    cfg.CookiesConfig,
    cfg.QueryStringsConfig,
    MAX_ORIGIN_REQUEST_ITEMS,
    "too-many-cookies-in-origin-request-policy",
    "too-many-query-strings-in-origin-request-policy",
  );
  return rest.ok ? ok(cfg) : rest;
}
