/**
 * Serving one request from one distribution (primary or staging, already decided): its viewer protocol policy and
 * geo restriction, its default root object, its cache behaviour for the path, its own cache namespace, its origin
 * (or origin group, with failover), and its custom error responses. Everything here reads the chosen
 * distribution only: a staging viewer gets staging's settings, a primary viewer primary's.
 */
import type {
  EdgeBehavior,
  EdgeDistribution,
  EdgeErrorResponse,
  EdgeOrigin,
  EdgeOriginGroup,
} from "../model/edge-config.js";
import { defaultRootPath, methodAllowed, methodCached, selectBehavior } from "./behaviors.js";
import { cacheFor, lookup, store } from "./cache.js";
import { cacheKey, keptQuery, keyDisablesCaching } from "./cache-key.js";
import { type EdgeError, errorPage } from "./error-pages.js";
import { errorResponseStatus, findErrorResponse, servesErrorPage } from "./error-responses.js";
import { serveWithFunctions } from "./functions/hooks.js";
import { geoAllowed } from "./geo.js";
import { type ForwardInput, fetchOrigin, type OriginResult, ownResponse, stripResponseHopByHop } from "./origin.js";
import type { OriginBody } from "./origin-body.js";
import { applyResponseHeaders, isPreflight, preflightAnswer } from "./response-headers.js";
import { cacheTtl } from "./ttl.js";
import { httpsRedirectStatus, viewerProtocolAction } from "./viewer-protocol.js";
import { type ViewerUrl, viewerUrl } from "./viewer-url.js";

/** CloudFront's edge result types, as its access logs name them. */
export type ResultType =
  | "Hit"
  | "Miss"
  | "Error"
  | "Redirect"
  | "RefreshHit"
  | "FunctionGeneratedResponse"
  | "FunctionExecutionError"
  | "FunctionThrottledError";

export interface Served {
  response: Response;
  result: ResultType;
  /**
   * The response is the origin's, passed through: its headers are not yet checked for hop-by-hop ones (see
   * needsHygiene()) and it carries no X-Cache. Only a behaviour that never caches passes the origin's response
   * through like this; every other response is the edge's (cache hits, stored responses, error pages, redirects).
   */
  fromOrigin: boolean;
  /**
   * Only with `fromOrigin`: the origin's response is already a Response of the edge's own (a body the edge read or
   * watched), its hop-by-hop headers removed, so its headers may be edited in place without a copy.
   */
  mutable?: boolean;
  /**
   * Set when the edge made the response itself for an error (502, 504, 403 ...), even behind a custom page, and
   * when it broke off an origin body that was cut or stalled before the viewer got any of it.
   */
  edgeError?: EdgeError | "origin-body-cut";
  /**
   * The origin's answer, with the status and Content-Length the edge read from it: telemetry takes them from here
   * (each read is a call into the runtime) as long as `response` is still `origin.response`.
   */
  origin?: OriginBody;
}

export interface ServeContext {
  request: Request;
  /** The request's method and headers, read once (each read of a Request's member is a call into the runtime). */
  method: string;
  headers: Headers;
  url: ViewerUrl;
  viewerScheme: "http" | "https";
  /** The viewer's country (request.cf), read only when a geo restriction needs it. */
  country: () => string | null;
  sessionCookieName: string;
  /** The request's id, made on first use (error pages, the access log). */
  requestId: () => string;
  now: number;
  waitUntil: (p: Promise<unknown>) => void;
}

/** Origin-group failover applies to these methods only, as on CloudFront. */
const FAILOVER_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * `asErrorPage` is true while serving a custom error page, which does not itself get custom error handling. A
 * behaviour that never caches is served with one promise (the origin fetch); one that may cache goes through
 * serveCacheable().
 */
export function serve(dist: EdgeDistribution, cx: ServeContext, asErrorPage = false): Served | Promise<Served> {
  const path = defaultRootPath(dist, cx.url.pathname);
  const behavior = selectBehavior(dist, path);
  // A response headers policy applies to everything the behaviour answers (an error page is styled once, by the
  // behaviour of the request that needed it).
  const policy = asErrorPage ? undefined : behavior.responseHeaders;
  if (policy === undefined) return serveWith(dist, behavior, path, cx, asErrorPage);
  const preflight = policy.cors?.answerPreflight === true && isPreflight(cx.request) ? policy.cors : undefined;
  const answer = preflight === undefined ? null : preflightAnswer(preflight, cx.request);
  const served: Served | Promise<Served> =
    answer !== null
      ? { response: answer, result: "Hit", fromOrigin: false }
      : serveWith(dist, behavior, path, cx, false);
  return served instanceof Promise
    ? served.then((s) => applyResponseHeaders(s, policy, cx))
    : applyResponseHeaders(served, policy, cx);
}

function serveWith(
  dist: EdgeDistribution,
  behavior: EdgeBehavior,
  path: string,
  cx: ServeContext,
  asErrorPage: boolean,
): Served | Promise<Served> {
  const { url, method } = cx;
  switch (viewerProtocolAction(behavior.viewerProtocolPolicy, cx.viewerScheme, method)) {
    case "redirect": {
      const location = `https://${url.host}${url.pathname}${url.search}`;
      const status = httpsRedirectStatus(method);
      const response = new Response(null, { status, headers: { location } });
      return { response, result: "Redirect", fromOrigin: false };
    }
    case "forbid":
      return fail("https-required", cx);
    case "pass":
      break;
  }
  // A blocked viewer may get the distribution's custom 403 page (GeoRestriction's API reference points to
  // "Customizing Error Responses"), so the page itself is fetched past the restriction.
  if (!asErrorPage && !geoAllowed(dist.geoRestriction, cx.country)) {
    return failWithErrorPage("geo-blocked", dist, cx, false);
  }
  if (!methodAllowed(behavior, method)) return fail("method-not-allowed", cx);
  // CloudFront Functions run after the protocol, geo and method checks; a behaviour without any skips this.
  const fns = behavior.functions;
  if (fns !== undefined && !asErrorPage) {
    const site = { distributionId: dist.id, distributionDomainName: dist.domainName };
    return serveWithFunctions(fns, site, cx, (next) =>
      serveBehavior(dist, behavior, next, defaultRootPath(dist, next.url.pathname), asErrorPage),
    );
  }
  return serveBehavior(dist, behavior, cx, path, asErrorPage);
}

/** The cache and the origin for one behaviour. */
function serveBehavior(
  dist: EdgeDistribution,
  behavior: EdgeBehavior,
  cx: ServeContext,
  path: string,
  asErrorPage: boolean,
): Served | Promise<Served> {
  const { url, method } = cx;

  // CloudFront never caches when every viewer header is forwarded (it would be a per-viewer key). A behaviour
  // with MaxTTL 0 (e.g. the managed CachingDisabled policy) can store nothing, so it is not even looked up: that
  // lookup was the largest cost of an uncached request (bench/README.md). Nor is a WebSocket handshake.
  const cacheable =
    behavior.maxTTL > 0 &&
    (method === "GET" || method === "HEAD") &&
    methodCached(behavior, method) &&
    !keyDisablesCaching(behavior.cacheKey) &&
    cx.headers.get("upgrade")?.toLowerCase() !== "websocket";
  const pathAndQuery = path + forwardedQuery(url, behavior);
  if (cacheable) return serveCacheable(dist, behavior, cx, path, pathAndQuery, asErrorPage);
  // The origin's response is handed on as it came (the viewer gets no X-Cache).
  return fetchTarget(dist, behavior, cx, pathAndQuery).then((fetched) =>
    afterFetch(fetched, dist, cx, asErrorPage, (origin, result) => {
      // A body the edge read or watched is already in a Response of its own: its headers are cleaned in place.
      if (origin.body === "none") return { response: origin.response, result, fromOrigin: true, origin };
      if (origin.hopByHop) stripResponseHopByHop(origin.response.headers);
      return { response: origin.response, result, fromOrigin: true, mutable: true, origin };
    }),
  );
}

async function serveCacheable(
  dist: EdgeDistribution,
  behavior: EdgeBehavior,
  cx: ServeContext,
  path: string,
  pathAndQuery: string,
  asErrorPage: boolean,
): Promise<Served> {
  const { url, method } = cx;
  const key = cacheKey(path === url.pathname ? url : { ...url, pathname: path }, cx.headers, behavior.cacheKey);
  const cache = await cacheFor(dist.id);
  const hit = await lookup(cache, key, cx.now);
  if (hit !== undefined) {
    return { response: method === "HEAD" ? withoutBody(hit) : hit, result: "Hit", fromOrigin: false };
  }
  const fetched = await fetchTarget(dist, behavior, cx, pathAndQuery);
  return afterFetch(fetched, dist, cx, asErrorPage, (origin, result) => {
    let response = origin.response;
    // A body the edge read or watched is already in a Response of its own: its headers are cleaned in place.
    if (origin.body === "none") response = ownResponse(response);
    else if (origin.hopByHop) stripResponseHopByHop(response.headers);
    // Nothing cut is stored; a body still streaming is stored only once it has arrived whole (cache.ts).
    if (method === "GET" && origin.body !== "cut") {
      const ttl = cacheTtl(response.status, response.headers, behavior, {
        customErrors: dist.customErrorResponses,
        now: cx.now,
      });
      if (ttl > 0) {
        const whole = origin.body !== "streamed";
        response = store(cache, key, response, { ttlS: ttl, now: cx.now, whole }, cx.waitUntil);
      }
    }
    return { response, result, fromOrigin: false };
  });
}

/**
 * What the origin's answer becomes: 502/504 (and their custom error pages) for a failed fetch, a custom error
 * response for an error status that has one, else `deliver(response, result)`.
 */
function afterFetch(
  fetched: OriginResult,
  dist: EdgeDistribution,
  cx: ServeContext,
  asErrorPage: boolean,
  deliver: (origin: OriginBody, result: ResultType) => Served,
): Served | Promise<Served> {
  switch (fetched.kind) {
    case "unreachable":
      return failWithErrorPage("origin-unreachable", dist, cx, asErrorPage);
    case "timeout":
      return failWithErrorPage("origin-timeout", dist, cx, asErrorPage);
    case "response":
      break;
  }
  const { response, status } = fetched;
  const rule = status < 400 ? null : pageRule(dist, status, asErrorPage);
  if (rule !== null) return customErrorResponse(dist, rule, response, cx);
  // A body that broke off before the viewer got any of it: the viewer's connection breaks (origin-body.ts), and the
  // edge counts it as its own error.
  if (fetched.body === "cut") return { ...deliver(fetched, "Error"), edgeError: "origin-body-cut" };
  return deliver(fetched, status < 400 ? "Miss" : "Error");
}

/** Forwards to an origin, or to an origin group's primary with failover to its secondary. */
function fetchTarget(
  dist: EdgeDistribution,
  behavior: EdgeBehavior,
  cx: ServeContext,
  pathAndQuery: string,
): Promise<OriginResult> {
  const targetId = behavior.targetOriginId;
  const input: ForwardInput = {
    request: cx.request,
    method: cx.method,
    headers: cx.headers,
    pathAndQuery,
    viewerScheme: cx.viewerScheme,
    viewerHost: cx.url.host,
    sessionCookieName: cx.sessionCookieName,
    forwarded: behavior.forwarded,
    encodings: behavior.cacheKey.encodings,
  };
  const group = dist.originGroups[targetId];
  return group === undefined ? fetchOrigin(originOf(dist, targetId), input) : fetchGroup(dist, group, input);
}

async function fetchGroup(dist: EdgeDistribution, group: EdgeOriginGroup, input: ForwardInput): Promise<OriginResult> {
  const first = await fetchOrigin(originOf(dist, group.primaryOriginId), input);
  if (!FAILOVER_METHODS.has(input.method)) return first;
  const failover = first.kind !== "response" || group.failoverStatusCodes.includes(first.status);
  if (!failover) return first;
  if (first.kind === "response") await discard(first.response);
  return fetchOrigin(originOf(dist, group.secondaryOriginId), input);
}

function originOf(dist: EdgeDistribution, id: string): EdgeOrigin {
  const origin = dist.origins[id];
  // The control plane only publishes behaviours whose target exists; a missing one is a publishing bug.
  if (origin === undefined) throw new Error(`distribution ${dist.id} has no origin ${id}`);
  return origin;
}

/** Query string sent to the origin: what the behaviour forwards (its cache key's and its origin request policy's). */
function forwardedQuery(url: ViewerUrl, behavior: EdgeBehavior): string {
  const qs = behavior.forwarded.queryStrings;
  switch (qs.mode) {
    case "all":
      return url.search;
    case "none":
      return "";
    case "allow":
    case "allExcept": {
      const listed = qs.mode === "allow";
      const s = keptQuery(url.search, (name) => qs.names.includes(name) === listed).toString();
      return s === "" ? "" : `?${s}`;
    }
    default:
      return qs satisfies never;
  }
}

/**
 * A custom error response: the page at ResponsePagePath is fetched through the distribution's own behaviours
 * (so it may come from another origin or the cache) and sent with ResponseCode, or the origin's status. When the
 * page itself is unavailable, the viewer gets the status its origin answered (DG "Generate custom error
 * responses"), not ResponseCode: a missing page must not turn into a 200.
 */
async function customErrorResponse(
  dist: EdgeDistribution,
  rule: EdgeErrorResponse,
  origin: Response,
  cx: ServeContext,
): Promise<Served> {
  await discard(origin);
  const pageRequest = new Request(new URL(rule.responsePagePath, cx.url.href), {
    method: "GET",
    headers: cx.headers,
  });
  const page = await serve(dist, withRequest(cx, pageRequest), true);
  if (page.response.status >= 400) return { ...page, result: "Error" };
  const status = errorResponseStatus(rule, origin.status);
  // The page's body as it came (the origin's or the cache's, maybe compressed): sent on as is.
  const response = new Response(page.response.body, { status, headers: page.response.headers, encodeBody: "manual" });
  if (page.fromOrigin) stripResponseHopByHop(response.headers);
  return { response, result: "Error", fromOrigin: false };
}

/** The context for serving another request (a custom error page, a function-rewritten request) in its place. */
export function withRequest(cx: ServeContext, request: Request): ServeContext {
  return { ...cx, request, method: request.method, headers: request.headers, url: viewerUrl(request.url) };
}

function fail(kind: EdgeError, cx: ServeContext): Served {
  return { response: errorPage(kind, cx.requestId), result: "Error", fromOrigin: false, edgeError: kind };
}

/**
 * An error the edge itself answers (403 for a geo-blocked viewer, 502 when the origin cannot be reached, 504 when
 * it does not answer in time) still gets the distribution's custom error response for that status, as
 * CloudFront's own server errors do (DG "Create a custom error page for specific HTTP status codes").
 */
function failWithErrorPage(
  kind: EdgeError,
  dist: EdgeDistribution,
  cx: ServeContext,
  asErrorPage: boolean,
): Served | Promise<Served> {
  const served = fail(kind, cx);
  const rule = pageRule(dist, served.response.status, asErrorPage);
  if (rule === null) return served;
  return customErrorResponse(dist, rule, served.response, cx).then((page) => ({ ...page, edgeError: kind }));
}

/** The custom error response that serves a page for `status`, if any (none while serving an error page). */
function pageRule(dist: EdgeDistribution, status: number, asErrorPage: boolean): EdgeErrorResponse | null {
  if (asErrorPage) return null;
  const rule = findErrorResponse(dist.customErrorResponses, status);
  return rule !== undefined && servesErrorPage(rule) ? rule : null;
}

/** Drops a body nobody will read; one that already failed (a cut origin body) has nothing left to drop. */
function discard(response: Response): Promise<void> {
  return response.body === null ? Promise.resolve() : response.body.cancel().catch(() => undefined);
}

function withoutBody(response: Response): Response {
  return new Response(null, response);
}
