/**
 * Forwarding a viewer request to one origin, with proxy hygiene: hop-by-hop headers stripped both ways (and the
 * ones a Connection header names), X-Forwarded-* set, the origin's custom headers added, redirects passed back to
 * the viewer (`redirect: "manual"`), the read timeout honoured. Failures are values: unreachable → the caller
 * answers 502, timeout → 504.
 *
 * Not hono/proxy: it drops Upgrade (so no WebSockets) and Content-Encoding (in workerd that throws away the
 * origin's compression); the hygiene itself is the same list.
 */
import type { CacheKeyList, EdgeOrigin } from "../model/edge-config.js";

const HOP_BY_HOP = [
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
];

export type OriginResult =
  | { kind: "response"; response: Response }
  | { kind: "unreachable"; error: string }
  | { kind: "timeout" };

export interface ForwardInput {
  request: Request;
  /** Path (already mapped, e.g. by the default root object) and query string to ask the origin for. */
  pathAndQuery: string;
  viewerScheme: "http" | "https";
  viewerHost: string;
  /** Name of splitfront's own session cookie: it is never passed on to the origin. */
  sessionCookieName: string;
  /** Viewer cookies the origin may see (the behaviour's forwarded list). */
  cookies: CacheKeyList;
  /** The viewer asked to upgrade to a WebSocket (serve() has looked already). */
  websocket: boolean;
}

function originUrl(origin: EdgeOrigin, viewerScheme: "http" | "https", pathAndQuery: string): string {
  const https =
    origin.protocolPolicy === "https-only" || (origin.protocolPolicy === "match-viewer" && viewerScheme === "https");
  const port = https ? origin.httpsPort : origin.httpPort;
  const defaultPort = https ? 443 : 80;
  const authority = port === defaultPort ? origin.domainName : `${origin.domainName}:${port}`;
  return `${https ? "https" : "http"}://${authority}${origin.originPath}${pathAndQuery}`;
}

function forwardHeaders(origin: EdgeOrigin, input: ForwardInput): Headers {
  const headers = new Headers(input.request.headers);
  stripHopByHop(headers);
  if (input.websocket) {
    headers.set("upgrade", "websocket");
    headers.set("connection", "Upgrade");
  }
  headers.delete("host");
  const viewerIp = headers.get("cf-connecting-ip");
  if (viewerIp !== null) {
    const prior = headers.get("x-forwarded-for");
    headers.set("x-forwarded-for", prior === null ? viewerIp : `${prior}, ${viewerIp}`);
  }
  headers.set("x-forwarded-proto", input.viewerScheme);
  headers.set("x-forwarded-host", input.viewerHost);
  const cookie = headers.get("cookie");
  if (cookie !== null) {
    const kept = forwardedCookies(cookie, input.cookies, input.sessionCookieName);
    if (kept === "") headers.delete("cookie");
    else if (kept !== cookie) headers.set("cookie", kept);
  }
  for (const [name, value] of origin.customHeaders) headers.set(name, value);
  return headers;
}

export async function fetchOrigin(origin: EdgeOrigin, input: ForwardInput): Promise<OriginResult> {
  const { request, websocket } = input;
  const url = originUrl(origin, input.viewerScheme, input.pathAndQuery);
  const headers = forwardHeaders(origin, input);
  const hasBody = request.body !== null && request.method !== "GET" && request.method !== "HEAD";
  // Only a request without a body can be sent again after a failed connection attempt.
  const attempts = hasBody ? 1 : Math.max(1, origin.connectionAttempts);

  let lastError = "";
  for (let attempt = 1; attempt <= attempts; attempt++) {
    // The read timeout bounds the wait for the origin's response headers, as CloudFront's origin response
    // timeout does; it does not cut a long body that is still streaming.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), origin.readTimeoutMs);
    try {
      const response = await fetch(url, {
        method: request.method,
        headers,
        body: hasBody ? request.body : null,
        redirect: "manual",
        signal: controller.signal,
      });
      return { kind: "response", response: websocket ? response : cleanResponse(response) };
    } catch (err) {
      if (controller.signal.aborted) return { kind: "timeout" };
      lastError = err instanceof Error ? err.message : String(err);
    } finally {
      clearTimeout(timer);
    }
  }
  return { kind: "unreachable", error: lastError };
}

function stripHopByHop(headers: Headers): void {
  const named = headers.get("connection");
  if (named !== null) {
    for (const token of named.split(",")) {
      const name = token.trim().toLowerCase();
      if (name !== "") headers.delete(name);
    }
  }
  for (const name of HOP_BY_HOP) headers.delete(name);
}

/** The origin's response with hop-by-hop headers removed and headers made mutable for the layers above. */
function cleanResponse(response: Response): Response {
  const out = new Response(response.body, response);
  stripHopByHop(out.headers);
  return out;
}

/**
 * The Cookie header the origin receives: none, all, or the listed names, as the behaviour forwards them (CloudFront
 * sends only the cookies in the cache key unless an origin request policy adds more), and never splitfront's own
 * session cookie. The common cases (no cookies forwarded; all, without our cookie) cost no parsing.
 */
function forwardedCookies(header: string, list: CacheKeyList, sessionCookieName: string): string {
  if (list.mode === "none") return "";
  if (list.mode === "all" && !header.includes(sessionCookieName)) return header;
  return header
    .split(";")
    .map((part) => part.trim())
    .filter((part) => {
      if (part === "") return false;
      const eq = part.indexOf("=");
      const name = eq < 0 ? "" : part.slice(0, eq).trim();
      if (name === sessionCookieName) return false;
      return list.mode === "all" || list.names.includes(name);
    })
    .join("; ");
}
