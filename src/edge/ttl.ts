/**
 * How long the edge keeps an origin response, in whole seconds (0 = do not store): CloudFront's expiration rules
 * as a pure function of the status, the response headers and the cache behaviour's TTLs.
 *
 * Successful responses (DG "Managing how long content stays in an edge cache (expiration)", the table for
 * MinTTL = 0 and MinTTL > 0):
 * - `Cache-Control: s-maxage` wins over `max-age`, which wins over `Expires` (measured from the `Date` header);
 *   the value is clamped into [MinTTL, MaxTTL].
 * - No caching directive at all: DefaultTTL (itself kept within [MinTTL, MaxTTL]).
 * - `no-store`, `no-cache` or `private`: not cached when MinTTL = 0, else cached for MinTTL.
 * - Statuses: 200, 203, 300, 301, 302, 303 by these rules; 307 and 308 only when the origin sent Cache-Control
 *   (DG "How CloudFront processes HTTP 3xx status codes"); 206 never (the Workers Cache API refuses partial
 *   content) and 304 never (it is a revalidation answer, not a representation).
 * Errors (4xx/5xx) follow `errorCachingTtl`. Our own rule on top: a response that sets a cookie is never stored,
 * and neither is one with `Vary: *`, which the Cache API cannot store.
 */
import type { EdgeBehavior, EdgeErrorResponse } from "../model/edge-config.js";

export type TtlSettings = Pick<EdgeBehavior, "minTTL" | "defaultTTL" | "maxTTL">;

export interface TtlOptions {
  /** The distribution's CustomErrorResponses, for error statuses (their ErrorCachingMinTTL). */
  customErrors?: readonly EdgeErrorResponse[];
  /** Epoch ms when the response arrived; the base for `Expires` only when the response has no `Date`. */
  now?: number;
}

/**
 * CloudFront's error caching minimum TTL when no CustomErrorResponse sets one (DG "Control how long CloudFront
 * caches errors").
 */
export const DEFAULT_ERROR_CACHING_MIN_TTL = 10;

const CACHEABLE = new Set([200, 203, 300, 301, 302, 303]);
const CACHEABLE_WITH_CACHE_CONTROL = new Set([307, 308]);

/** DG "HTTP 4xx and 5xx status codes that CloudFront caches", plus 410 (cached like 404 in the current DG). */
const ERRORS_ALWAYS_CACHED = new Set([404, 405, 410, 414, 500, 501, 502, 503, 504]);
/** …and those cached only when the origin gives a `max-age` or `s-maxage`. 416 is never cached. */
const ERRORS_CACHED_WITH_MAX_AGE = new Set([400, 403, 412, 415]);
/** For these, `no-store`/`no-cache`/`private` prevent error caching; other codes ignore those directives. */
const ERRORS_HONOURING_NO_STORE = new Set([404, 410, 414, 501]);

/** RFC 9111 §1.2.2: delta-seconds beyond 2^31 are treated as 2^31. */
const MAX_DELTA = 2_147_483_648;

export function cacheTtl(status: number, headers: Headers, b: TtlSettings, opts: TtlOptions = {}): number {
  if (status >= 400) {
    return errorCachingTtl(status, opts.customErrors ?? [], { headers, maxTTL: b.maxTTL, now: opts.now });
  }
  const cacheControl = headers.get("cache-control");
  if (!CACHEABLE.has(status) && !(CACHEABLE_WITH_CACHE_CONTROL.has(status) && cacheControl !== null)) return 0;
  if (neverStore(headers)) return 0;

  const cc = parseCacheControl(cacheControl);
  if (cc.noStore || cc.noCache || cc.private) return b.minTTL;
  const lifetime = cc.sMaxAge ?? cc.maxAge ?? expiresLifetime(headers, opts.now);
  return clamp(lifetime ?? b.defaultTTL, b.minTTL, b.maxTTL);
}

export interface ErrorResponseInfo {
  headers: Headers;
  /** The MaxTTL of the behaviour that fetched the error: header lifetimes cannot exceed it. */
  maxTTL: number;
  now?: number | undefined;
}

/**
 * Seconds to keep an error response. Without `response`, the answer for an origin that sent no caching headers:
 * the matching CustomErrorResponse's ErrorCachingMinTTL, else 10 s, for the codes CloudFront always caches.
 * With it, CloudFront's full rule (DG "Control how long CloudFront caches errors"): the greater of that minimum
 * and the origin's s-maxage/max-age/Expires (capped at MaxTTL); 400/403/412/415 only when a max-age or s-maxage
 * is present; a no-store/no-cache/private prevents caching for 404/410/414/501 only.
 */
export function errorCachingTtl(
  status: number,
  customErrors: readonly EdgeErrorResponse[],
  response?: ErrorResponseInfo,
): number {
  const always = ERRORS_ALWAYS_CACHED.has(status);
  if (!always && !ERRORS_CACHED_WITH_MAX_AGE.has(status)) return 0;
  const minimum = customErrorMinTtl(customErrors, status);
  if (response === undefined) return always ? minimum : 0;
  if (neverStore(response.headers)) return 0;

  const cc = parseCacheControl(response.headers.get("cache-control"));
  const maxAge = cc.sMaxAge ?? cc.maxAge;
  if (!always && maxAge === null) return 0;
  if ((cc.noStore || cc.noCache || cc.private) && ERRORS_HONOURING_NO_STORE.has(status)) return 0;
  const lifetime = maxAge ?? expiresLifetime(response.headers, response.now);
  return lifetime === null ? minimum : Math.max(minimum, Math.min(lifetime, response.maxTTL));
}

function customErrorMinTtl(customErrors: readonly EdgeErrorResponse[], status: number): number {
  for (const e of customErrors) if (e.errorCode === status) return e.errorCachingMinTTL;
  return DEFAULT_ERROR_CACHING_MIN_TTL;
}

/** Our rule: never store a response that sets a cookie; `Vary: *` cannot be stored by the Cache API at all. */
function neverStore(headers: Headers): boolean {
  if (headers.has("set-cookie")) return true;
  return (
    headers
      .get("vary")
      ?.split(",")
      .some((v) => v.trim() === "*") === true
  );
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(value, max));
}

export interface CacheControl {
  noStore: boolean;
  noCache: boolean;
  private: boolean;
  /** Seconds; null when absent. An unparsable value counts as 0 (RFC 9111 §4.2.1: treat as stale). */
  maxAge: number | null;
  sMaxAge: number | null;
}

/** Parses a response Cache-Control value. Directive names are case-insensitive; the first of duplicates wins. */
export function parseCacheControl(value: string | null): CacheControl {
  const cc: CacheControl = { noStore: false, noCache: false, private: false, maxAge: null, sMaxAge: null };
  if (value === null) return cc;
  for (const part of value.split(",")) {
    const eq = part.indexOf("=");
    const name = (eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase();
    const arg = eq === -1 ? "" : part.slice(eq + 1).trim();
    switch (name) {
      case "no-store":
        cc.noStore = true;
        break;
      // The qualified forms (`no-cache="set-cookie"`, `private="…"`) are treated like the plain ones: safer.
      case "no-cache":
        cc.noCache = true;
        break;
      case "private":
        cc.private = true;
        break;
      case "max-age":
        cc.maxAge ??= deltaSeconds(arg);
        break;
      case "s-maxage":
        cc.sMaxAge ??= deltaSeconds(arg);
        break;
    }
  }
  return cc;
}

function deltaSeconds(arg: string): number {
  // RFC 9111 §5.2: token form is preferred, quoted-string form must be accepted.
  const raw = arg.length >= 2 && arg.startsWith('"') && arg.endsWith('"') ? arg.slice(1, -1) : arg;
  if (!/^\d+$/.test(raw)) return 0;
  return Math.min(Number(raw), MAX_DELTA);
}

/**
 * Freshness from `Expires`, relative to the response's `Date` (or `now` when it has none): null when there is no
 * Expires; 0 for an invalid or past one (RFC 9111 §5.3: an invalid date means already expired), and also when
 * neither `Date` nor `now` gives a base to measure from.
 */
function expiresLifetime(headers: Headers, now: number | undefined): number | null {
  const expires = headers.get("expires");
  if (expires === null) return null;
  const at = Date.parse(expires);
  const dateHeader = headers.get("date");
  const parsedDate = dateHeader === null ? Number.NaN : Date.parse(dateHeader);
  const base = Number.isNaN(parsedDate) ? now : parsedDate;
  if (Number.isNaN(at) || base === undefined) return 0;
  return Math.max(0, Math.min(Math.floor((at - base) / 1000), MAX_DELTA));
}
