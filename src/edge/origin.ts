/**
 * Forwarding a viewer request to one origin, with proxy hygiene: hop-by-hop headers stripped both ways (and the
 * ones a Connection header names), X-Forwarded-* set, the origin's custom headers added, redirects passed back to
 * the viewer (`redirect: "manual"`), the read timeout honoured. Failures are values: unreachable → the caller
 * answers 502, timeout → 504.
 *
 * workerd's HTTP layer owns the connection-level headers: it never sends on a Connection, Keep-Alive, TE, Trailer,
 * Transfer-Encoding or Upgrade header it was handed, neither on a subrequest nor on the response to the viewer
 * (it writes its own), and a WebSocket upgrade goes through its own path. What it does pass on are the proxy-*
 * headers and any header a Connection header names, so those are all this module removes: a header operation is
 * a call into the runtime, and this runs twice per request (test/e2e/hop-by-hop.test.ts pins the whole set over
 * real sockets).
 *
 * Not hono/proxy: it drops Upgrade (so no WebSockets) and Content-Encoding (in workerd that throws away the
 * origin's compression).
 */
import type { CacheKeyList, EdgeOrigin } from "../model/edge-config.js";

/** Hop-by-hop headers workerd passes through: removed here, in each direction. */
const PROXY_REQUEST_HEADERS = ["proxy-authorization", "proxy-connection"];
const PROXY_RESPONSE_HEADERS = ["proxy-authenticate", "proxy-connection"];
/** Connection-level headers workerd writes itself: a Connection header naming one needs no delete. */
const RUNTIME_MANAGED = new Set(["close", "keep-alive", "upgrade", "te", "trailer", "transfer-encoding"]);

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

/** Rewrites the outbound request's own (mutable) copy of the viewer's headers. */
function prepareHeaders(headers: Headers, origin: EdgeOrigin, input: ForwardInput): void {
  stripHopByHop(headers, PROXY_REQUEST_HEADERS);
  // No Host to remove: the runtime writes the origin's own from the URL (test/e2e/hop-by-hop.test.ts checks it).
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
}

export async function fetchOrigin(origin: EdgeOrigin, input: ForwardInput): Promise<OriginResult> {
  const { request, websocket } = input;
  const url = originUrl(origin, input.viewerScheme, input.pathAndQuery);
  const method = request.method;
  const hasBody = method !== "GET" && method !== "HEAD" && request.body !== null;
  // Only a request without a body can be sent again after a failed connection attempt.
  const attempts = hasBody ? 1 : Math.max(1, origin.connectionAttempts);

  let lastError = "";
  for (let attempt = 1; attempt <= attempts; attempt++) {
    // One copy of the viewer's headers (the Request's own, mutable), edited in place and sent as is.
    const outbound = new Request(url, {
      method,
      headers: request.headers,
      body: hasBody ? request.body : null,
      redirect: "manual",
    });
    prepareHeaders(outbound.headers, origin, input);
    const pending = fetch(outbound);
    let result: Response | typeof TIMED_OUT;
    try {
      result = await Promise.race([pending, readTimeout(origin.readTimeoutMs)]);
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
      continue;
    }
    if (result === TIMED_OUT) {
      // Not aborted: the runtime cancels it when the request ends. Should it still answer, drop the body.
      pending.then(
        (late) => late.body?.cancel(),
        () => undefined,
      );
      return { kind: "timeout" };
    }
    return { kind: "response", response: websocket ? result : cleanResponse(result) };
  }
  return { kind: "unreachable", error: lastError };
}

const TIMED_OUT = Symbol("timed out");

/**
 * Settles with TIMED_OUT after `ms`. Raced against the fetch, it bounds the wait for the origin's response headers,
 * as CloudFront's origin response timeout does, and never cuts a body that is still streaming. A race against one
 * timer (about 13k instructions a request) rather than an AbortController and signal (about 26k; see
 * `npm run bench:runtime-ops`). The timer is not cleared either (one more runtime call per request): workerd
 * cancels it when the request ends, and firing into a settled race does nothing.
 */
function readTimeout(ms: number): Promise<typeof TIMED_OUT> {
  return new Promise((resolve) => {
    setTimeout(resolve, ms, TIMED_OUT);
  });
}

function stripHopByHop(headers: Headers, proxyHeaders: readonly string[]): void {
  const named = headers.get("connection");
  if (named !== null) {
    for (const token of named.split(",")) {
      const name = token.trim().toLowerCase();
      if (name !== "" && !RUNTIME_MANAGED.has(name)) headers.delete(name);
    }
  }
  for (const name of proxyHeaders) headers.delete(name);
}

/** The origin's response with hop-by-hop headers removed and headers made mutable for the layers above. */
function cleanResponse(response: Response): Response {
  const out = new Response(response.body, response);
  stripHopByHop(out.headers, PROXY_RESPONSE_HEADERS);
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
