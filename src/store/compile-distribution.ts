/**
 * Compiles one distribution's config into the edge's form (src/model/edge-config.ts): TTLs and cache key resolved
 * from the legacy members or the cache policy, what the origin receives (with the origin request policy), the
 * response headers policy (compile-policies.ts; managed or the account's own, through `resolve`), origin ports/protocol/timeouts in ms, origin
 * groups, custom error responses, geo restriction, header names lower-cased. Pure; runs at publish time so the
 * edge does no interpretation per request.
 */
import type { ForwardedValues, Origin } from "@aws-sdk/client-cloudfront";
import { managedPolicy } from "../domain/behavior-policies/managed.js";
import type { ConfigOf, PolicyKind } from "../domain/behavior-policies/types.js";
import { behaviorsOf, type CacheBehavior, type DefaultCacheBehavior, isEnabled } from "../domain/distribution/types.js";
import type { FunctionRecord } from "../domain/functions/types.js";
import type { DistributionRecord } from "../domain/state.js";
import type {
  CacheKeyList,
  EdgeBehavior,
  EdgeCacheKey,
  EdgeDistribution,
  EdgeErrorResponse,
  EdgeOrigin,
  EdgeOriginGroup,
} from "../model/edge-config.js";
import {
  compileCachePolicy,
  compileForwarded,
  compileResponseHeadersPolicy,
  legacyForwarded,
} from "./compile-policies.js";

/** A policy's config by kind and id (the state's custom ones and the managed ones), or undefined. */
export type PolicyResolver = <K extends PolicyKind>(kind: K, id: string) => ConfigOf[K] | undefined;

export const managedResolver: PolicyResolver = (kind, id) => managedPolicy(kind, id)?.config;

import { withFunctions } from "./compile-functions.js";

const YEAR = 31_536_000;

export function compileDistribution(
  d: DistributionRecord,
  resolve: PolicyResolver = managedResolver,
  functions: readonly FunctionRecord[] = [],
): EdgeDistribution {
  const c = d.config;
  const origins: Record<string, EdgeOrigin> = {};
  for (const o of c.Origins?.Items ?? []) origins[o.Id ?? ""] = compileOrigin(o);
  const originGroups: Record<string, EdgeOriginGroup> = {};
  for (const g of c.OriginGroups?.Items ?? []) {
    const [first, second] = g.Members?.Items ?? [];
    originGroups[g.Id ?? ""] = {
      id: g.Id ?? "",
      primaryOriginId: first?.OriginId ?? "",
      secondaryOriginId: second?.OriginId ?? "",
      failoverStatusCodes: g.FailoverCriteria?.StatusCodes?.Items ?? [],
    };
  }
  const geo = c.Restrictions?.GeoRestriction;
  const logging = c.Logging;
  const defaultBehavior = c.DefaultCacheBehavior ?? { TargetOriginId: "", ViewerProtocolPolicy: "allow-all" };
  return {
    id: d.id,
    domainName: d.domainName,
    enabled: isEnabled(c),
    defaultRootObject: c.DefaultRootObject ?? "",
    origins,
    originGroups,
    defaultBehavior: withFunctions(compileBehavior(defaultBehavior, null, resolve), defaultBehavior, functions),
    behaviors: behaviorsOf(c).map((b) => withFunctions(compileBehavior(b, b.PathPattern ?? "", resolve), b, functions)),
    customErrorResponses: (c.CustomErrorResponses?.Items ?? []).map(
      (e): EdgeErrorResponse => ({
        errorCode: e.ErrorCode ?? 0,
        responsePagePath: e.ResponsePagePath ?? "",
        responseCode: Number.parseInt(e.ResponseCode ?? "", 10) || 0,
        // CloudFront's default error caching minimum TTL is 10 s.
        errorCachingMinTTL: e.ErrorCachingMinTTL ?? 10,
      }),
    ),
    geoRestriction: {
      type: geo?.RestrictionType ?? "none",
      countries: (geo?.Items ?? []).map((x) => x.toUpperCase()),
    },
    ...(logging?.Enabled === true
      ? { logging: { includeCookies: logging.IncludeCookies === true, prefix: logging.Prefix ?? "" } }
      : {}),
  };
}

function compileOrigin(o: Origin): EdgeOrigin {
  const custom = o.CustomOriginConfig;
  const origin: EdgeOrigin = {
    id: o.Id ?? "",
    domainName: o.DomainName ?? "",
    originPath: o.OriginPath ?? "",
    customHeaders: (o.CustomHeaders?.Items ?? []).map((h): [string, string] => [
      (h.HeaderName ?? "").toLowerCase(),
      h.HeaderValue ?? "",
    ]),
    // S3 and VPC origins are reached over HTTPS.
    protocolPolicy: custom?.OriginProtocolPolicy ?? "https-only",
    httpPort: custom?.HTTPPort ?? 80,
    httpsPort: custom?.HTTPSPort ?? 443,
    // Clamped to CloudFront's ranges: a stored legacy config may hold anything, and a timeout of 0 or a million
    // connection attempts would hurt every viewer of the worker, not only this distribution's.
    readTimeoutMs: clamp(custom?.OriginReadTimeout, 1, 180, 30) * 1000,
    connectionAttempts: clamp(o.ConnectionAttempts, 1, 3, 3),
    connectionTimeoutMs: clamp(o.ConnectionTimeout, 1, 10, 10) * 1000,
  };
  const unusable = unusableBecause(origin);
  return unusable === null ? origin : { ...origin, unusable };
}

/** An integer in min..max; `fallback` (CloudFront's default) when the value is absent or not a number. */
function clamp(value: number | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.trunc(value)));
}

/** A host name or IPv4 address: labels of letters, digits, hyphens (and underscores, which URL parsers take). */
const HOST_NAME =
  /^(?=.{1,253}\.?$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;
const ORIGIN_PATH = /^(?:\/[^?#\s]*)?$/;
/** An HTTP field name (RFC 9110 token) and a field value without control characters. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/i;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Why no request could be sent to this origin as stored, or null when one can. */
function unusableBecause(o: EdgeOrigin): string | null {
  if (!HOST_NAME.test(o.domainName)) return "its DomainName is not a host name";
  if (!ORIGIN_PATH.test(o.originPath)) return "its OriginPath is not a path";
  for (const port of [o.httpPort, o.httpsPort]) {
    if (!Number.isInteger(port) || port < 1 || port > 65_535) return "a port is outside 1-65535";
  }
  for (const [name, value] of o.customHeaders) {
    if (!HEADER_NAME.test(name) || !HEADER_VALUE.test(value)) return `custom header ${JSON.stringify(name)} is invalid`;
  }
  return null;
}

function compileBehavior(
  b: DefaultCacheBehavior | CacheBehavior,
  pathPattern: string | null,
  resolve: PolicyResolver,
): EdgeBehavior {
  const methods = b.AllowedMethods;
  const allowedMethods = methods?.Items ?? ["GET", "HEAD"];
  const base = {
    pathPattern,
    targetOriginId: b.TargetOriginId ?? "",
    viewerProtocolPolicy: b.ViewerProtocolPolicy ?? "allow-all",
    allowedMethods,
    cachedMethods: methods?.CachedMethods?.Items ?? ["GET", "HEAD"],
  };
  const rhp = b.ResponseHeadersPolicyId ? resolve("response-headers", b.ResponseHeadersPolicyId) : undefined;
  const responseHeaders =
    rhp === undefined ? {} : { responseHeaders: compileResponseHeadersPolicy(rhp, allowedMethods) };
  const cachePolicy = b.CachePolicyId ? resolve("cache", b.CachePolicyId) : undefined;
  if (cachePolicy !== undefined) {
    const compiled = compileCachePolicy(cachePolicy);
    const orp = b.OriginRequestPolicyId ? resolve("origin-request", b.OriginRequestPolicyId) : undefined;
    return { ...base, ...compiled, forwarded: compileForwarded(compiled.cacheKey, orp), ...responseHeaders };
  }
  // Legacy settings: ForwardedValues is both the cache key and what the origin receives.
  const cacheKey = legacyCacheKey(b.ForwardedValues);
  return {
    ...base,
    minTTL: b.MinTTL ?? 0,
    defaultTTL: b.DefaultTTL ?? 86_400,
    maxTTL: b.MaxTTL ?? YEAR,
    cacheKey,
    forwarded: legacyForwarded(cacheKey),
    ...responseHeaders,
  };
}

function legacyCacheKey(f: ForwardedValues | undefined): EdgeCacheKey {
  if (f === undefined) return { queryStrings: { mode: "none" }, cookies: { mode: "none" }, headers: { mode: "none" } };
  const qsNames = f.QueryStringCacheKeys?.Items ?? [];
  const queryStrings: CacheKeyList = !f.QueryString
    ? { mode: "none" }
    : qsNames.length > 0
      ? { mode: "allow", names: qsNames }
      : { mode: "all" };
  const forward = f.Cookies?.Forward ?? "none";
  const cookies: CacheKeyList =
    forward === "all"
      ? { mode: "all" }
      : forward === "whitelist"
        ? { mode: "allow", names: f.Cookies?.WhitelistedNames?.Items ?? [] }
        : { mode: "none" };
  const headerNames = (f.Headers?.Items ?? []).map((h) => h.toLowerCase());
  const headers: CacheKeyList = headerNames.includes("*")
    ? { mode: "all" }
    : headerNames.length > 0
      ? { mode: "allow", names: headerNames }
      : { mode: "none" };
  return { queryStrings, cookies, headers };
}
