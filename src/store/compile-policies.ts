/**
 * Cache, origin request and response headers policies compiled into a behaviour's edge form at publish time
 * (src/model/edge-config.ts): the cache policy's TTLs and cache key, what the origin receives (the cache key's
 * values plus the origin request policy's, as CloudFront combines them), and the response headers policy's
 * removals, additions and CORS answers. Pure; managed and custom policies compile alike.
 */
import type {
  CachePolicyConfig,
  OriginRequestPolicyConfig,
  ResponseHeadersPolicyConfig,
} from "../domain/behavior-policies/types.js";
import type {
  CacheKeyList,
  EdgeBehavior,
  EdgeCacheKey,
  EdgeCors,
  EdgeForwarded,
  EdgeResponseHeaders,
  HeaderForwarding,
} from "../model/edge-config.js";

type Named = { Items?: string[] | undefined } | undefined;
const names = (l: Named): string[] => l?.Items ?? [];
const lower = (l: string[]): string[] => l.map((n) => n.toLowerCase());

/** A cookie or query-string behaviour (`whitelist` is the list's `allow`). */
function list(behavior: string | undefined, items: string[]): CacheKeyList {
  switch (behavior) {
    case "all":
      return { mode: "all" };
    case "whitelist":
      return { mode: "allow", names: items };
    case "allExcept":
      return { mode: "allExcept", names: items };
    default:
      return { mode: "none" };
  }
}

export function compileCachePolicy(
  c: CachePolicyConfig,
): Pick<EdgeBehavior, "minTTL" | "defaultTTL" | "maxTTL" | "cacheKey"> {
  const p = c.ParametersInCacheKeyAndForwardedToOrigin;
  const gzip = p?.EnableAcceptEncodingGzip === true;
  const br = p?.EnableAcceptEncodingBrotli === true;
  const cacheKey: EdgeCacheKey = {
    queryStrings: list(p?.QueryStringsConfig?.QueryStringBehavior, names(p?.QueryStringsConfig?.QueryStrings)),
    cookies: list(p?.CookiesConfig?.CookieBehavior, names(p?.CookiesConfig?.Cookies)),
    headers: list(p?.HeadersConfig?.HeaderBehavior, lower(names(p?.HeadersConfig?.Headers))),
    ...(gzip || br ? { encodings: { gzip, br } } : {}),
  };
  const minTTL = c.MinTTL ?? 0;
  return { minTTL, defaultTTL: c.DefaultTTL ?? minTTL, maxTTL: c.MaxTTL ?? minTTL, cacheKey };
}

/** What the origin receives of a list sent by both the cache key and the origin request policy. */
export function union(a: CacheKeyList, b: CacheKeyList): CacheKeyList {
  if (a.mode === "all" || b.mode === "all") return { mode: "all" };
  if (a.mode === "none") return b;
  if (b.mode === "none") return a;
  if (a.mode === "allow" && b.mode === "allow") return { mode: "allow", names: [...new Set([...a.names, ...b.names])] };
  if (a.mode === "allExcept" && b.mode === "allExcept") {
    return { mode: "allExcept", names: a.names.filter((n) => b.names.includes(n)) };
  }
  const except = a.mode === "allExcept" ? a : b;
  const allow = a.mode === "allow" ? a : b;
  return {
    mode: "allExcept",
    names: except.mode === "allExcept" ? except.names.filter((n) => !allow.names.includes(n)) : [],
  };
}

const HOST = "host";
const FORWARDED_PROTO = "cloudfront-forwarded-proto";

/**
 * CloudFront's origin request: the cache key's query strings, cookies and headers, plus the origin request policy's
 * (DG "Control origin requests with a policy": values in the cache key are always included). The viewer's Host
 * travels as X-Forwarded-Host (a subrequest carries the origin's own Host), CloudFront-Forwarded-Proto is made
 * from the viewer's scheme; CloudFront's other generated headers are not produced here.
 */
export function compileForwarded(key: EdgeCacheKey, orp: OriginRequestPolicyConfig | undefined): EdgeForwarded {
  const hb = orp?.HeadersConfig?.HeaderBehavior ?? "none";
  const orpNames = lower(names(orp?.HeadersConfig?.Headers));
  const orpHeaders: CacheKeyList =
    hb === "allViewer" || hb === "allViewerAndWhitelistCloudFront"
      ? { mode: "all" }
      : hb === "allExcept"
        ? { mode: "allExcept", names: orpNames }
        : hb === "whitelist"
          ? { mode: "allow", names: orpNames }
          : { mode: "none" };
  const headers = union(key.headers, orpHeaders);
  const cloudFront = hb === "allViewerAndWhitelistCloudFront" ? orpNames : [];
  return {
    queryStrings: union(
      key.queryStrings,
      list(orp?.QueryStringsConfig?.QueryStringBehavior, names(orp?.QueryStringsConfig?.QueryStrings)),
    ),
    cookies: union(key.cookies, list(orp?.CookiesConfig?.CookieBehavior, names(orp?.CookiesConfig?.Cookies))),
    headers: headerForwarding(headers),
    viewerHost: includes(headers, HOST),
    viewerProto:
      lists(key.headers, FORWARDED_PROTO) || lists(orpHeaders, FORWARDED_PROTO) || cloudFront.includes(FORWARDED_PROTO),
  };
}

/** Legacy ForwardedValues: the cache key is exactly what the origin receives (headers: the listed, or all with `*`). */
export function legacyForwarded(key: EdgeCacheKey): EdgeForwarded {
  return {
    queryStrings: key.queryStrings,
    cookies: key.cookies,
    headers: headerForwarding(key.headers),
    viewerHost: includes(key.headers, HOST),
    viewerProto: lists(key.headers, FORWARDED_PROTO),
  };
}

/** CloudFront's own headers are generated, never "all viewer headers": only a list naming one sends it. */
const lists = (l: CacheKeyList, name: string): boolean => l.mode === "allow" && l.names.includes(name);

function includes(l: CacheKeyList, name: string): boolean {
  switch (l.mode) {
    case "all":
      return true;
    case "none":
      return false;
    case "allow":
      return l.names.includes(name);
    case "allExcept":
      return !l.names.includes(name);
    default:
      return l satisfies never;
  }
}

/** Host and CloudFront-Forwarded-Proto are handled apart (viewerHost, viewerProto); CloudFront-* are generated. */
function headerForwarding(l: CacheKeyList): HeaderForwarding {
  const viewerHeader = (n: string) => n !== HOST && !n.startsWith("cloudfront-");
  switch (l.mode) {
    case "all":
      return { mode: "all" };
    case "none":
      return { mode: "allow", names: [] };
    case "allow":
      return { mode: "allow", names: l.names.filter(viewerHeader) };
    case "allExcept":
      return { mode: "allExcept", names: l.names.filter((n) => n !== HOST) };
    default:
      return l satisfies never;
  }
}

const ALL_METHODS = ["GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH", "HEAD"];

export function compileResponseHeadersPolicy(
  c: ResponseHeadersPolicyConfig,
  allowedMethods: readonly string[],
): EdgeResponseHeaders {
  const set: EdgeResponseHeaders["set"] = [];
  const s = c.SecurityHeadersConfig;
  if (s?.ContentSecurityPolicy !== undefined) {
    set.push([
      "content-security-policy",
      s.ContentSecurityPolicy.ContentSecurityPolicy ?? "",
      s.ContentSecurityPolicy.Override === true,
    ]);
  }
  if (s?.ContentTypeOptions !== undefined)
    set.push(["x-content-type-options", "nosniff", s.ContentTypeOptions.Override === true]);
  if (s?.FrameOptions !== undefined) {
    set.push(["x-frame-options", s.FrameOptions.FrameOption ?? "SAMEORIGIN", s.FrameOptions.Override === true]);
  }
  if (s?.ReferrerPolicy !== undefined) {
    set.push(["referrer-policy", s.ReferrerPolicy.ReferrerPolicy ?? "", s.ReferrerPolicy.Override === true]);
  }
  const hsts = s?.StrictTransportSecurity;
  if (hsts !== undefined) {
    const value = `max-age=${hsts.AccessControlMaxAgeSec ?? 0}${hsts.IncludeSubdomains === true ? "; includeSubDomains" : ""}${hsts.Preload === true ? "; preload" : ""}`;
    set.push(["strict-transport-security", value, hsts.Override === true]);
  }
  const xss = s?.XSSProtection;
  if (xss !== undefined) {
    const on = xss.Protection === true;
    const value = !on
      ? "0"
      : `1${xss.ModeBlock === true ? "; mode=block" : ""}${(xss.ReportUri ?? "") !== "" ? `; report=${xss.ReportUri}` : ""}`;
    set.push(["x-xss-protection", value, xss.Override === true]);
  }
  for (const h of c.CustomHeadersConfig?.Items ?? []) {
    set.push([(h.Header ?? "").toLowerCase(), h.Value ?? "", h.Override === true]);
  }
  const st = c.ServerTimingHeadersConfig;
  return {
    remove: (c.RemoveHeadersConfig?.Items ?? []).map((h) => (h.Header ?? "").toLowerCase()),
    set,
    ...(c.CorsConfig !== undefined ? { cors: compileCors(c.CorsConfig, allowedMethods) } : {}),
    ...(st?.Enabled === true ? { serverTimingRate: st.SamplingRate ?? 0 } : {}),
  };
}

function compileCors(
  c: NonNullable<ResponseHeadersPolicyConfig["CorsConfig"]>,
  allowedMethods: readonly string[],
): EdgeCors {
  const methods = names(c.AccessControlAllowMethods);
  const originOverride = c.OriginOverride === true;
  return {
    allowOrigins: lower(names(c.AccessControlAllowOrigins)),
    allowCredentials: c.AccessControlAllowCredentials === true,
    allowHeaders: names(c.AccessControlAllowHeaders).join(", "),
    allowMethods: (methods.includes("ALL") ? ALL_METHODS : methods).join(", "),
    exposeHeaders: names(c.AccessControlExposeHeaders).join(", "),
    maxAgeSec: c.AccessControlMaxAgeSec ?? -1,
    originOverride,
    answerPreflight: originOverride || !allowedMethods.includes("OPTIONS"),
  };
}
