/**
 * A behaviour's response headers policy, applied to every response it serves (Developer Guide, "Understand response
 * headers policies"): the listed headers removed first, then the CORS headers for a CORS request, the security and
 * custom headers (each kept from the origin unless its Override says otherwise), and Server-Timing for the sampled
 * share of responses (or whenever the viewer sends `Pragma: server-timing`). A preflight request can be answered
 * here without the origin (see EdgeCors.answerPreflight). Only behaviours with a policy come here: the others pay
 * nothing for it.
 */
import type { EdgeCors, EdgeResponseHeaders } from "../model/edge-config.js";
import { ownResponse } from "./origin.js";
import type { ResultType, Served } from "./serve.js";

export interface ResponseContext {
  request: Request;
  requestId: () => string;
  /** Epoch ms when the viewer's request arrived. */
  now: number;
}

/** An OPTIONS request carrying Origin and Access-Control-Request-Method (the Fetch standard's CORS preflight). */
export const isPreflight = (request: Request): boolean =>
  request.method === "OPTIONS" && request.headers.has("access-control-request-method") && request.headers.has("origin");

/** The value of Access-Control-Allow-Origin for `origin`, or null when the policy does not allow it. */
export function allowedOrigin(cors: EdgeCors, origin: string): string | null {
  const o = origin.toLowerCase();
  for (const pattern of cors.allowOrigins) {
    if (pattern === "*") return "*";
    if (originMatches(pattern, o)) return origin;
  }
  return null;
}

/** `https://a.example` matches itself; `https://*.example` its subdomains; without a scheme, any scheme. */
function originMatches(pattern: string, origin: string): boolean {
  const sep = origin.indexOf("://");
  const host = sep < 0 ? origin : origin.slice(sep + 3);
  const patternHasScheme = pattern.includes("://");
  const subject = patternHasScheme ? origin : host;
  const star = pattern.indexOf("*.");
  if (star < 0) return subject === pattern;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  return subject.startsWith(prefix) && subject.endsWith(suffix) && subject.length > prefix.length + suffix.length;
}

/** The edge's answer to a preflight the policy allows (null: not allowed here, let the behaviour handle it). */
export function preflightAnswer(cors: EdgeCors, request: Request): Response | null {
  const origin = allowedOrigin(cors, request.headers.get("origin") ?? "");
  if (origin === null) return null;
  const headers = new Headers();
  corsHeaders(cors, origin, true, headers);
  return new Response(null, { status: 200, headers });
}

function corsHeaders(cors: EdgeCors, origin: string, preflight: boolean, headers: Headers): void {
  const put = (name: string, value: string) => {
    if (cors.originOverride || !headers.has(name)) headers.set(name, value);
  };
  put("access-control-allow-origin", origin);
  if (cors.allowCredentials) put("access-control-allow-credentials", "true");
  if (cors.exposeHeaders !== "") put("access-control-expose-headers", cors.exposeHeaders);
  if (!preflight) return;
  put("access-control-allow-methods", cors.allowMethods);
  if (cors.allowHeaders !== "") put("access-control-allow-headers", cors.allowHeaders);
  if (cors.maxAgeSec >= 0) put("access-control-max-age", String(cors.maxAgeSec));
}

export function applyResponseHeaders(served: Served, policy: EdgeResponseHeaders, cx: ResponseContext): Served {
  // The origin's own response has immutable headers (unless the edge read its body): the policy edits a copy, which
  // is then the edge's.
  const response = served.fromOrigin && served.mutable !== true ? ownResponse(served.response) : served.response;
  const headers = response.headers;
  for (const name of policy.remove) headers.delete(name);
  const cors = policy.cors;
  if (cors !== undefined) {
    const requestOrigin = cx.request.headers.get("origin");
    const origin = requestOrigin === null ? null : allowedOrigin(cors, requestOrigin);
    if (origin !== null) corsHeaders(cors, origin, isPreflight(cx.request), headers);
  }
  for (const [name, value, override] of policy.set) {
    if (override || !headers.has(name)) headers.set(name, value);
  }
  if (policy.serverTimingRate !== undefined && sampled(policy.serverTimingRate, cx.request)) {
    headers.set("server-timing", serverTiming(served.result, headers.get("server-timing"), cx));
  }
  return { ...served, response, fromOrigin: false };
}

/** CloudFront samples `rate` % of responses; `Pragma: server-timing` asks for it whatever the rate. */
function sampled(rate: number, request: Request): boolean {
  if (request.headers.get("pragma")?.toLowerCase().includes("server-timing") === true) return true;
  return rate > 0 && Math.random() * 100 < rate;
}

/**
 * CloudFront's metrics that splitfront can know (DG "Server-Timing header metrics"): whether the cache answered,
 * the layer, the request id and the time to the response's first byte. On a miss the origin's own Server-Timing
 * is kept after them; a hit carries the edge's only.
 */
function serverTiming(result: ResultType, fromOrigin: string | null, cx: ResponseContext): string {
  const hit = result === "Hit";
  const metrics = [
    hit ? "cdn-cache-hit" : "cdn-cache-miss",
    'cdn-pop;desc="splitfront"',
    `cdn-rid;desc="${cx.requestId()}"`,
    hit ? 'cdn-hit-layer;desc="EDGE"' : 'cdn-upstream-layer;desc="EDGE"',
    `cdn-downstream-fbl;dur=${Math.max(0, Date.now() - cx.now)}`,
  ].join(",");
  return hit || fromOrigin === null || fromOrigin === "" ? metrics : `${metrics},${fromOrigin}`;
}
