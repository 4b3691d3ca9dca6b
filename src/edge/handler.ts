/**
 * The edge: every viewer request. Finds the host's compiled record, decides primary or staging, serves the
 * request from that distribution alone, adds the session cookie (after any cache lookup, so it is never cached)
 * and the opt-in served-by header, and writes one access-log record.
 */
import { type BackgroundTasks, settings } from "../env.js";
import { writeAccessLog } from "./access-log.js";
import { lookupConfig } from "./config-store.js";
import { errorPage } from "./error-pages.js";
import { needsHygiene, ownResponse } from "./origin.js";
import { routeRequest } from "./route.js";
import { serve } from "./serve.js";
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

/** `url` is the request's URL, when the caller has parsed it already. */
export async function handleViewerRequest(
  request: Request,
  env: Env,
  ctx: BackgroundTasks,
  url: ViewerUrl = viewerUrl(request.url),
): Promise<Response> {
  const now = Date.now();
  const s = settings(env);
  const host = url.hostname;
  const requestId = requestIdOf(request);
  const waitUntil = (p: Promise<unknown>) => ctx.waitUntil(p);

  const lookup = lookupConfig(
    host,
    { kv: env.EDGE_CONFIG, memoMs: s.configMemoMs, kvCacheTtlS: s.kvCacheTtlS, waitUntil },
    now,
  );
  // Awaited only when it is a promise: in steady state the memo answers synchronously.
  const found = lookup instanceof Promise ? await lookup : lookup;
  if (found.status !== "found") {
    return errorPage(found.status === "unknown" ? "unknown-host" : "config-unavailable", requestId);
  }
  const config = found.config;
  if (config.kind === "staging") return errorPage("staging-host", requestId);

  const secure = url.protocol === "https:";
  const route = routeRequest(config, request, s, env.SESSION_SECRET, Math.floor(now / 1000), secure);
  const routed = route instanceof Promise ? await route : route;
  const staging = routed.arm === "staging" ? config.staging : null;
  const dist = staging ?? config.primary;
  // request.cf is parsed on first read: only geo restrictions and the access log need the country.
  const country = () => (request.cf?.country as string | undefined) ?? null;

  const served = await serve(dist, {
    request,
    url,
    viewerScheme: secure ? "https" : "http",
    country,
    sessionCookieName: s.sessionCookieName,
    requestId,
    now,
    waitUntil,
  });

  // The origin's own response (a behaviour that never caches) goes out as it came, without a copy, unless a
  // header must be added or a hop-by-hop one removed; every other response is the edge's and carries X-Cache.
  let response = served.response;
  const adds = routed.setCookie !== null || s.servedByHeader !== "";
  if (!served.fromOrigin) response.headers.set("x-cache", `${served.result} from splitfront`);
  else if (adds || needsHygiene(response)) response = ownResponse(response);
  if (adds) {
    const headers = response.headers;
    if (routed.setCookie !== null) headers.append("set-cookie", routed.setCookie);
    if (s.servedByHeader !== "") headers.set(s.servedByHeader, routed.arm);
  }

  const logging = dist.logging;
  if (s.accessLog === "none" || (s.accessLog === "distribution" && logging === undefined)) return response;
  const length = response.headers.get("content-length");
  const cookie = logging?.includeCookies === true ? request.headers.get("cookie") : null;
  writeAccessLog({
    requestId: requestId(),
    distributionId: dist.id,
    distributionDnsName: dist.domainName,
    arm: routed.arm,
    ...(staging !== null
      ? { primaryDistributionId: config.primary.id, primaryDistributionDnsName: config.primary.domainName }
      : {}),
    ...(config.policy !== null ? { policyId: config.policy.id } : {}),
    routeReason: routed.reason,
    method: request.method,
    host,
    path: url.pathname,
    status: response.status,
    edgeResultType: served.result,
    bytes: length === null ? null : Number(length),
    timeTakenMs: Date.now() - now,
    country: country(),
    ...(cookie !== null ? { cookie } : {}),
    ...(logging !== undefined && logging.prefix !== "" ? { logPrefix: logging.prefix } : {}),
  });
  return response;
}
