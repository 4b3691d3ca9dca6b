/**
 * The edge: every viewer request. Finds the host's compiled record, decides primary or staging, serves the
 * request from that distribution alone, adds X-Cache where the edge answered or consulted its cache, the session
 * cookie (after any cache lookup, so it is never cached) and the opt-in served-by header, and writes one
 * access-log record when the distribution logs.
 */
import { type BackgroundTasks, type Settings, settings } from "../env.js";
import type { EdgeDistribution, ViewerHostConfig } from "../model/edge-config.js";
import { writeAccessLog } from "./access-log.js";
import { type ConfigLookup, lookupConfig } from "./config-store.js";
import { errorPage } from "./error-pages.js";
import { landingPage, wantsLandingPage } from "./landing-page.js";
import { countViewerResponse } from "./metrics.js";
import { needsHygiene, ownResponse } from "./origin.js";
import { openPreviewLink } from "./preview.js";
import { type Routed, routeRequest } from "./route.js";
import { type ServeContext, type Served, serve } from "./serve.js";
import { type ViewerUrl, viewerUrl } from "./viewer-url.js";

let isolateTag = "";
let sequence = 0;

/**
 * The request's id for error pages and the access log, made only when one of them needs it (most requests need
 * neither). Cloudflare names every request (cf-ray); without one (locally), an isolate tag and a counter: unique
 * enough for logs, and cheaper than a UUID per request. (Random values cannot be made at module scope in Workers.)
 */
function requestIdOf(request: Request): () => string {
  let id = "";
  return () => {
    if (id === "") {
      const ray = request.headers.get("cf-ray");
      if (ray !== null) id = ray;
      else {
        if (isolateTag === "") isolateTag = crypto.randomUUID().slice(0, 8);
        sequence += 1;
        id = `${isolateTag}-${sequence.toString(36)}`;
      }
    }
    return id;
  };
}

/**
 * Where an unexpected failure on the viewer path ends (a throw in routing or serving, a record of the wrong shape):
 * one log line for the operator, with the error, and for the viewer the edge's 502 page, which names nothing
 * internal. Only this request is affected.
 */
export function containFailure(err: unknown, request: Request, requestId: () => string): Response {
  let where: { host: string; path: string } | { url: string };
  try {
    const url = viewerUrl(request.url);
    where = { host: url.hostname, path: url.pathname };
  } catch {
    where = { url: String(request.url) };
  }
  console.error(
    JSON.stringify({
      msg: "viewer request failed",
      requestId: requestId(),
      ...where,
      error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
      stack: err instanceof Error ? err.stack : undefined,
    }),
  );
  return errorPage("edge-failure", requestId);
}

/**
 * One viewer request, as the steps below need it: also the context a distribution serves it in (one object made
 * per request rather than one per step).
 */
interface Viewer extends ServeContext {
  env: Env;
  /** The viewer came over https. */
  secure: boolean;
  s: Settings;
  /** containFailure() for this request: each step catches what it throws, each `.then` what its promise rejects. */
  fail: (err: unknown) => Response;
}

/**
 * `url` is the request's URL and `s` the settings, when the caller has them already. In steady state (config
 * memoised, no WebCrypto to run) everything up to the origin fetch runs synchronously and one continuation finishes
 * the response: each await or async function costs the runtime a promise round of its own (bench/README.md).
 */
export function handleViewerRequest(
  request: Request,
  env: Env,
  ctx: BackgroundTasks,
  url: ViewerUrl = viewerUrl(request.url),
  s: Settings = settings(env),
): Response | Promise<Response> {
  const requestId = requestIdOf(request);
  const fail = (err: unknown) => containFailure(err, request, requestId);
  try {
    const now = Date.now();
    const secure = url.protocol === "https:";
    const v: Viewer = {
      request,
      method: request.method,
      headers: request.headers,
      env,
      url,
      secure,
      viewerScheme: secure ? "https" : "http",
      // request.cf is parsed on first read: only geo restrictions and the access log need the country.
      country: () => (request.cf?.country as string | undefined) ?? null,
      sessionCookieName: s.sessionCookieName,
      s,
      now,
      requestId,
      waitUntil: (p) => ctx.waitUntil(p),
      fail,
    };
    const found = lookupConfig(
      url.hostname,
      { kv: env.EDGE_CONFIG, memoMs: s.configMemoMs, kvCacheTtlS: s.kvCacheTtlS, waitUntil: v.waitUntil },
      now,
    );
    return found instanceof Promise ? found.then((f) => withConfig(f, v), fail) : withConfig(found, v);
  } catch (err) {
    return fail(err);
  }
}

function withConfig(found: ConfigLookup, v: Viewer): Response | Promise<Response> {
  try {
    if (found.status !== "found") return noConfig(found.status, v);
    const config = found.config;
    if (config.kind === "staging") return errorPage("staging-host", v.requestId);
    // Preview links (src/edge/preview.ts): only hosts with links that may still be open look at the query string.
    const previewUntil = config.previewUntil;
    if (previewUntil !== undefined && v.url.search !== "" && previewUntil * 1000 > v.now) {
      const nowS = Math.floor(v.now / 1000);
      const opened = openPreviewLink({ ...v, config, nowS, secret: v.env.SESSION_SECRET });
      if (opened !== null) return opened.then((redirect) => redirect ?? routeThenServe(config, v), v.fail);
    }
    return routeThenServe(config, v);
  } catch (err) {
    return v.fail(err);
  }
}

function routeThenServe(config: ViewerHostConfig, v: Viewer): Response | Promise<Response> {
  try {
    const routed = routeRequest(config, v.headers, v.s, v.env.SESSION_SECRET, Math.floor(v.now / 1000), v.secure);
    return routed instanceof Promise ? routed.then((r) => serveArm(config, r, v), v.fail) : serveArm(config, routed, v);
  } catch (err) {
    return v.fail(err);
  }
}

/** A host without a record: the 404 page, or the landing page on the worker's own address; KV down: 503. */
function noConfig(status: "unknown" | "unavailable", v: Viewer): Response | Promise<Response> {
  if (status === "unavailable") return errorPage("config-unavailable", v.requestId);
  if (wantsLandingPage(v.request, v.url, v.s)) {
    return landingPage(v.request, v.url, v.s, v.env.EDGE_CONFIG).catch(v.fail);
  }
  return errorPage("unknown-host", v.requestId);
}

function serveArm(config: ViewerHostConfig, routed: Routed, v: Viewer): Response | Promise<Response> {
  const staging = routed.arm === "staging" ? config.staging : null;
  const dist = staging ?? config.primary;
  try {
    const served = serve(dist, v);
    if (!(served instanceof Promise)) return respond(served, config, routed, dist, staging, v);
    return served.then(
      (out) => {
        try {
          return respond(out, config, routed, dist, staging, v);
        } catch (err) {
          return failArm(err, config, dist, routed, v);
        }
      },
      (err: unknown) => failArm(err, config, dist, routed, v),
    );
  } catch (err) {
    return failArm(err, config, dist, routed, v);
  }
}

/** A failure once the arm is chosen: the 502 page, counted against that arm as an error the edge made. */
function failArm(err: unknown, config: ViewerHostConfig, dist: EdgeDistribution, routed: Routed, v: Viewer): Response {
  const response = v.fail(err);
  try {
    const served: Served = { response, result: "Error", fromOrigin: false, edgeError: "edge-failure" };
    countViewerResponse(v.env, v.s, v.waitUntil, v.now, config.primary.id, dist.id, routed.arm, served, response);
  } catch {
    // A record too broken to name its distribution: the log line containFailure() wrote is all there is.
  }
  return response;
}

/** Whether the origin's response (passed on as it came) holds a hop-by-hop header: known when the edge read it. */
function hopByHop(served: Served, response: Response): boolean {
  return served.origin?.response === response ? served.origin.hopByHop : needsHygiene(response);
}

function respond(
  served: Served,
  config: ViewerHostConfig,
  routed: Routed,
  dist: EdgeDistribution,
  staging: EdgeDistribution | null,
  v: Viewer,
): Response {
  const { s } = v;
  // The origin's response (a behaviour that never caches) goes out without X-Cache. When the edge read its body it is
  // already in a Response of its own, cleaned in place; else it goes as it came, without a copy, unless a header
  // must be added or a hop-by-hop one removed. Every other response is the edge's and carries X-Cache.
  let response = served.response;
  const adds = routed.setCookie !== null || s.servedByHeader !== "";
  if (!served.fromOrigin) response.headers.set("x-cache", `${served.result} from splitfront`);
  else if (served.mutable !== true && (adds || hopByHop(served, response))) response = ownResponse(response);
  if (adds) {
    const headers = response.headers;
    if (routed.setCookie !== null) headers.append("set-cookie", routed.setCookie);
    if (s.servedByHeader !== "") headers.set(s.servedByHeader, routed.arm);
  }
  countViewerResponse(v.env, s, v.waitUntil, v.now, config.primary.id, dist.id, routed.arm, served, response);

  const logging = dist.logging;
  if (s.accessLog === "none" || (s.accessLog === "distribution" && logging === undefined)) return response;
  // A body broken off (origin-body.ts) sent none of the bytes its Content-Length promises.
  const length = served.edgeError === "origin-body-cut" ? null : response.headers.get("content-length");
  const cookie = logging?.includeCookies === true ? v.headers.get("cookie") : null;
  writeAccessLog({
    requestId: v.requestId(),
    distributionId: dist.id,
    distributionDnsName: dist.domainName,
    arm: routed.arm,
    ...(staging !== null
      ? { primaryDistributionId: config.primary.id, primaryDistributionDnsName: config.primary.domainName }
      : {}),
    ...(config.policy !== null ? { policyId: config.policy.id } : {}),
    routeReason: routed.reason,
    method: v.method,
    host: v.url.hostname,
    path: v.url.pathname,
    status: response.status,
    edgeResultType: served.result,
    bytes: length === null ? null : Number(length),
    timeTakenMs: Date.now() - v.now,
    country: v.country(),
    ...(cookie !== null ? { cookie } : {}),
    ...(logging !== undefined && logging.prefix !== "" ? { logPrefix: logging.prefix } : {}),
  });
  return response;
}
