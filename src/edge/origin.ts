/**
/**
 * Forwarding a viewer request to one origin, with proxy hygiene: only the viewer headers the behaviour forwards
 * (all of them, all but some, or an allow-list: forward-headers.ts), hop-by-hop headers stripped both ways (and the
 * ones a Connection header names), the normalised Accept-Encoding where the cache policy enables compression,
 * X-Forwarded-For appended (X-Forwarded-Host and CloudFront-Forwarded-Proto when the behaviour forwards them), the
 * origin's custom headers added, redirects passed back to the viewer (`redirect: "manual"`), the read timeout
 * honoured for the headers and, between packets, for the body (origin-body.ts). Failures are values: unreachable →
 * the caller answers 502, timeout → 504. The origin's response comes back as the runtime made it (immutable
 * headers) when it has no body; a layer that must edit it takes `ownResponse()`, and one that passes it on checks
 * `needsHygiene()` first. A response whose body the edge read or watched is already a Response of the edge's own.
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
import type { CacheKeyList, EdgeCacheKey, EdgeForwarded, EdgeOrigin } from "../model/edge-config.js";
import { normalizedAcceptEncoding } from "./cache-key.js";
import { copyAllowed } from "./forward-headers.js";
import { type OriginBody, readOriginBody, startTimer, stopTimer, TIMED_OUT } from "./origin-body.js";

/** Hop-by-hop headers workerd passes through: removed here, in each direction. */
const PROXY_REQUEST_HEADERS = ["proxy-authorization", "proxy-connection"] as const;
const PROXY_AUTHENTICATE = "proxy-authenticate";
const PROXY_CONNECTION = "proxy-connection";
const PROXY_RESPONSE_HEADERS = [PROXY_AUTHENTICATE, PROXY_CONNECTION] as const;
/** Connection-level headers workerd writes itself: a Connection header naming one needs no delete. */
const RUNTIME_MANAGED = new Set(["close", "keep-alive", "upgrade", "te", "trailer", "transfer-encoding"]);

/** A response (its body read whole, watched while it streams, or cut: see origin-body.ts), or why there is none. */
export type OriginResult = OriginBody | { kind: "unreachable"; error: string } | { kind: "timeout" };

export interface ForwardInput {
  request: Request;
  /** The request's method and headers, read once (serve.ts). */
  method: string;
  headers: Headers;
  /** Path (already mapped, e.g. by the default root object) and query string to ask the origin for. */
  pathAndQuery: string;
  viewerScheme: "http" | "https";
  viewerHost: string;
  /** Name of splitfront's own session cookie: it is never passed on to the origin. */
  sessionCookieName: string;
  /** What the behaviour forwards: headers, cookies, and whether the origin is told the viewer's Host and scheme. */
  forwarded: EdgeForwarded;
  /** The cache policy's compression settings: the origin gets the normalised Accept-Encoding. */
  encodings: EdgeCacheKey["encodings"];
}

function originUrl(origin: EdgeOrigin, viewerScheme: "http" | "https", pathAndQuery: string): string {
  const https =
    origin.protocolPolicy === "https-only" || (origin.protocolPolicy === "match-viewer" && viewerScheme === "https");
  const port = https ? origin.httpsPort : origin.httpPort;
  const defaultPort = https ? 443 : 80;
  const authority = port === defaultPort ? origin.domainName : `${origin.domainName}:${port}`;
  return `${https ? "https" : "http"}://${authority}${origin.originPath}${pathAndQuery}`;
}

/**
 * Rewrites the outbound request's own (mutable) headers: the viewer's (all of them, or those an allow-list passed),
 * `viewer` being the viewer request's own.
 */
function prepareHeaders(headers: Headers, viewer: Headers, origin: EdgeOrigin, input: ForwardInput): void {
  stripHopByHop(headers, PROXY_REQUEST_HEADERS);
  const select = input.forwarded.headers;
  if (select?.mode === "allExcept") for (const name of select.names) headers.delete(name);
  if (input.encodings !== undefined) {
    const encoding = normalizedAcceptEncoding(viewer.get("accept-encoding"), input.encodings);
    if (encoding === null) headers.delete("accept-encoding");
    else headers.set("accept-encoding", encoding);
  }
  // No Host to remove: the runtime writes the origin's own from the URL (test/e2e/hop-by-hop.test.ts checks it).
  // As CloudFront: the viewer's address appended to X-Forwarded-For. The viewer's Host and scheme only when the
  // behaviour forwards them (each header added costs the runtime a copy per hop: bench/README.md).
  const viewerIp = viewer.get("cf-connecting-ip");
  if (viewerIp !== null) {
    const prior = headers.get("x-forwarded-for");
    headers.set("x-forwarded-for", prior === null ? viewerIp : `${prior}, ${viewerIp}`);
  }
  const forwarded = input.forwarded;
  if (forwarded.viewerHost === true) headers.set("x-forwarded-host", input.viewerHost);
  if (forwarded.viewerProto === true) headers.set("cloudfront-forwarded-proto", input.viewerScheme);
  // Cookies follow their own list (an allow-list of headers never names Cookie: the cookie lists decide). None
  // forwarded: one delete, without reading them first.
  const cookies = forwarded.cookies;
  if (cookies.mode === "none") {
    if (select?.mode !== "allow") headers.delete("cookie");
  } else {
    const cookie = viewer.get("cookie");
    if (cookie !== null) {
      const kept = forwardedCookies(cookie, cookies, input.sessionCookieName);
      if (kept === "") headers.delete("cookie");
      else if (kept !== cookie || select?.mode === "allow") headers.set("cookie", kept);
    }
  }
  const custom = origin.customHeaders;
  for (let i = 0; i < custom.length; i++) {
    const header = custom[i] as readonly [string, string];
    headers.set(header[0], header[1]);
  }
}

/**
 * The origin's body exactly as it sent it: by default workerd decodes a compressed body when JavaScript reads it
 * (and the edge reads bodies: origin-body.ts), keeping the Content-Encoding header, so it would be re-compressed on
 * the way out, cached decoded under a compressed label (cloudflare/workerd#6835), and a small compressed body could
 * inflate without bound. Responses built from such a body keep the setting (`new Response(body, response)`).
 */
const AS_SENT: RequestInit = { encodeResponseBody: "manual" };

/** CloudFront's largest ConnectionAttempts; records compiled before it was clamped at publish time may hold more. */
const MAX_ATTEMPTS = 3;

export function fetchOrigin(origin: EdgeOrigin, input: ForwardInput): Promise<OriginResult> {
  if (origin.unusable !== undefined) {
    console.error(JSON.stringify({ msg: "origin unusable", origin: origin.id, reason: origin.unusable }));
    return Promise.resolve({ kind: "unreachable", error: origin.unusable });
  }
  const method = input.method;
  const hasBody = method !== "GET" && method !== "HEAD" && input.request.body !== null;
  // Only a request without a body can be sent again after a failed connection attempt.
  const attempts = hasBody ? 1 : Math.min(MAX_ATTEMPTS, Math.max(1, origin.connectionAttempts | 0));
  return attempt(originUrl(origin, input.viewerScheme, input.pathAndQuery), hasBody, origin, input, attempts);
}

/** One attempt, and the next ones (`left` counts this one) when the connection fails. */
function attempt(
  url: string,
  hasBody: boolean,
  origin: EdgeOrigin,
  input: ForwardInput,
  left: number,
): Promise<OriginResult> {
  const { request, method, headers } = input;
  let pending: Promise<Response>;
  try {
    // One copy of the viewer's headers (the Request's own, mutable), edited in place and sent as is; under an
    // allow-list the Request starts empty and gets only the allowed ones.
    const allow = input.forwarded.headers?.mode === "allow" ? input.forwarded.headers.names : null;
    const outbound = new Request(url, {
      method,
      headers: allow === null ? headers : undefined,
      body: hasBody ? request.body : null,
      redirect: "manual",
    });
    const out = outbound.headers;
    if (allow !== null) copyAllowed(headers, out, allow, method);
    prepareHeaders(out, headers, origin, input);
    pending = fetch(outbound, AS_SENT);
  } catch (err) {
    // A record that holds what no request can be made of (an invalid URL or header) and that the compiler did not
    // catch (records published before it did): the origin cannot be asked.
    return Promise.resolve({ kind: "unreachable", error: err instanceof Error ? err.message : String(err) });
  }
  // 1 ms..180 s whatever an older record holds (publish time clamps to CloudFront's 1..180 s).
  const timeoutMs = origin.readTimeoutMs >= 1 ? Math.min(origin.readTimeoutMs, 180_000) : 1;
  // The read timeout: one timer raced against the fetch bounds the wait for the response headers (then 504), and
  // is reused for the body (origin-body.ts, which stops it when the body is done). A race against a timer (about
  // 13k instructions a request) rather than an AbortController and signal (about 26k; `npm run bench:runtime-ops`).
  const timer = startTimer(timeoutMs);
  return Promise.race([pending, timer.fired]).then(
    (result): OriginResult | Promise<OriginResult> => {
      if (result !== TIMED_OUT) {
        // Hop-by-hop headers are looked for in the origin's own headers (no copy of them is needed to look).
        const headers = result.headers;
        return readOriginBody(result, headers, hasHopByHop(headers), timeoutMs, timer);
      }
      // Not aborted: the runtime cancels it when the request ends. Should it still answer, drop the body.
      pending.then(
        (late) => late.body?.cancel(),
        () => undefined,
      );
      return { kind: "timeout" };
    },
    (err: unknown): OriginResult | Promise<OriginResult> => {
      stopTimer(timer);
      if (left > 1) return attempt(url, hasBody, origin, input, left - 1);
      return { kind: "unreachable", error: err instanceof Error ? err.message : String(err) };
    },
  );
}

const NONE: readonly string[] = Object.freeze([]);

/** The headers a Connection header names that the runtime would pass on (it handles keep-alive and the like). */
function connectionNamed(headers: Headers): readonly string[] {
  const value = headers.get("connection");
  // Most Connection headers are one token the runtime manages ("keep-alive" from nearly every origin, "close"):
  // compared as they are, without splitting (a Set lookup by a string made per request costs V8 an internalization).
  if (value === null || value === "keep-alive" || value === "close") return NONE;
  const names: string[] = [];
  for (const token of value.split(",")) {
    const name = token.trim().toLowerCase();
    if (name !== "" && !RUNTIME_MANAGED.has(name)) names.push(name);
  }
  return names;
}

function stripHopByHop(headers: Headers, proxy: readonly [string, string]): void {
  const named = connectionNamed(headers);
  for (let i = 0; i < named.length; i++) headers.delete(named[i] as string);
  headers.delete(proxy[0]);
  headers.delete(proxy[1]);
}

/**
 * The origin's response as the edge's own: headers copied (mutable) and hop-by-hop ones removed. A WebSocket
 * handshake (101) keeps its socket.
 */
export function ownResponse(response: Response): Response {
  const out =
    response.status === 101
      ? new Response(null, { status: 101, headers: response.headers, webSocket: response.webSocket })
      : new Response(response.body, response);
  stripResponseHopByHop(out.headers);
  return out;
}

/** Removes the hop-by-hop headers of an origin response from a (mutable) copy of its headers. */
export function stripResponseHopByHop(headers: Headers): void {
  stripHopByHop(headers, PROXY_RESPONSE_HEADERS);
}

/**
 * Whether the origin's response carries a hop-by-hop header the runtime would pass on (a proxy-* header, or one
 * its Connection header names). Most responses carry none and go to the viewer as they came, without a copy.
 */
export function needsHygiene(response: Response): boolean {
  return hasHopByHop(response.headers);
}

function hasHopByHop(headers: Headers): boolean {
  return connectionNamed(headers).length > 0 || headers.has(PROXY_AUTHENTICATE) || headers.has(PROXY_CONNECTION);
}

/**
 * The Cookie header the origin receives when the behaviour forwards some: all, or the listed names (CloudFront sends
 * only the cookies in the cache key unless an origin request policy adds more), and never splitfront's own session
 * cookie. All cookies, without ours among them, cost no parsing.
 */
function forwardedCookies(
  header: string,
  list: Exclude<CacheKeyList, { mode: "none" }>,
  sessionCookieName: string,
): string {
  if (list.mode === "all" && !header.includes(sessionCookieName)) return header;
  const listed = list.mode === "allow";
  return header
    .split(";")
    .map((part) => part.trim())
    .filter((part) => {
      if (part === "") return false;
      const eq = part.indexOf("=");
      const name = eq < 0 ? "" : part.slice(0, eq).trim();
      if (name === sessionCookieName) return false;
      return list.mode === "all" || list.names.includes(name) === listed;
    })
    .join("; ");
}
