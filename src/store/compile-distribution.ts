/**
 * Compiles one distribution's config into the edge's form (src/model/edge-config.ts): TTLs resolved from the
 * legacy members or a managed cache policy, cache key lists, origin ports/protocol/timeouts in ms, origin
 * groups, custom error responses, geo restriction, header names lower-cased. Pure; runs at publish time so the
 * edge does no interpretation per request.
 */
import type { ForwardedValues, Origin } from "@aws-sdk/client-cloudfront";
import { managedCachePolicy } from "../domain/distribution/managed-cache-policies.js";
import {
  forwardsAllViewerValues,
  forwardsCloudFrontHeaders,
  forwardsViewerHost,
} from "../domain/distribution/managed-origin-request-policies.js";
import { behaviorsOf, type CacheBehavior, type DefaultCacheBehavior, isEnabled } from "../domain/distribution/types.js";
import type { FunctionRecord } from "../domain/functions/types.js";
import type { DistributionRecord } from "../domain/state.js";
import type {
  CacheKeyList,
  EdgeBehavior,
  EdgeDistribution,
  EdgeErrorResponse,
  EdgeForwarded,
  EdgeOrigin,
  EdgeOriginGroup,
} from "../model/edge-config.js";
import { withFunctions } from "./compile-functions.js";

const YEAR = 31_536_000;

export function compileDistribution(
  d: DistributionRecord,
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
    defaultBehavior: withFunctions(compileBehavior(defaultBehavior, null), defaultBehavior, functions),
    behaviors: behaviorsOf(c).map((b) => withFunctions(compileBehavior(b, b.PathPattern ?? ""), b, functions)),
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
  return {
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
    readTimeoutMs: (custom?.OriginReadTimeout ?? 30) * 1000,
    connectionAttempts: o.ConnectionAttempts ?? 3,
    connectionTimeoutMs: (o.ConnectionTimeout ?? 10) * 1000,
  };
}

function compileBehavior(b: DefaultCacheBehavior | CacheBehavior, pathPattern: string | null): EdgeBehavior {
  const methods = b.AllowedMethods;
  const base = {
    pathPattern,
    targetOriginId: b.TargetOriginId ?? "",
    viewerProtocolPolicy: b.ViewerProtocolPolicy ?? "allow-all",
    allowedMethods: methods?.Items ?? ["GET", "HEAD"],
    cachedMethods: methods?.CachedMethods?.Items ?? ["GET", "HEAD"],
  };
  const managed = b.CachePolicyId ? managedCachePolicy(b.CachePolicyId) : undefined;
  if (managed !== undefined) {
    const { minTTL, defaultTTL, maxTTL, queryStrings, cookies, headers } = managed;
    const cacheKey = { queryStrings, cookies, headers };
    return { ...base, minTTL, defaultTTL, maxTTL, cacheKey, forwarded: forwarded(cacheKey, b.OriginRequestPolicyId) };
  }
  // Legacy settings: ForwardedValues is both the cache key and what the origin receives.
  const cacheKey = legacyCacheKey(b.ForwardedValues);
  return {
    ...base,
    minTTL: b.MinTTL ?? 0,
    defaultTTL: b.DefaultTTL ?? 86_400,
    maxTTL: b.MaxTTL ?? YEAR,
    cacheKey,
    forwarded: forwarded(cacheKey, undefined),
  };
}

/**
 * The origin receives the cache key's query strings and cookies, or all of them under an "all viewer" policy; the
 * viewer's Host when the policy or the cache key forwards it, and CloudFront-Forwarded-Proto likewise.
 */
function forwarded(cacheKey: EdgeBehavior["cacheKey"], originRequestPolicyId: string | undefined): EdgeForwarded {
  // Cache-key header names are lower case (legacy ones are lowered when compiled).
  const keyHas = (name: string) => cacheKey.headers.mode === "allow" && cacheKey.headers.names.includes(name);
  const viewerHost = forwardsViewerHost(originRequestPolicyId) || cacheKey.headers.mode === "all" || keyHas("host");
  const viewerProto = forwardsCloudFrontHeaders(originRequestPolicyId) || keyHas("cloudfront-forwarded-proto");
  const all = forwardsAllViewerValues(originRequestPolicyId);
  return {
    queryStrings: all ? { mode: "all" } : cacheKey.queryStrings,
    cookies: all ? { mode: "all" } : cacheKey.cookies,
    viewerHost,
    viewerProto,
  };
}

function legacyCacheKey(f: ForwardedValues | undefined): EdgeBehavior["cacheKey"] {
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
