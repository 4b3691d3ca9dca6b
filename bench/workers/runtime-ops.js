/**
 * Prices single runtime operations for bench/runtime-ops.ts: `?op=<name>&k=<n>` runs the operation n times inside
 * one request (the driver subtracts k=0), and the `fetch-*` ops forward once, in the different ways a proxy can.
 * env.ORIGIN is "http://127.0.0.1:<port>".
 */
const LOG_LINE = JSON.stringify({
  requestId: "abcd1234-1",
  distributionId: "E1Q2W3E4R5T6Y7",
  distributionDnsName: "d1q2w3e4r5t6y7.splitfront.localhost",
  arm: "primary",
  routeReason: "header-match",
  method: "GET",
  host: "header.bench.localhost",
  path: "/products/42",
  status: 200,
  edgeResultType: "Miss",
  bytes: 453,
  timeTakenMs: 1,
  country: null,
});

let sink = 0;

const OPS = {
  "headers-get": (request) => {
    sink += request.headers.get("x-absent") === null ? 1 : 0;
  },
  "headers-copy": (request) => {
    sink += new Headers(request.headers).has("host") ? 1 : 0;
  },
  "headers-set": (_request, scratch) => {
    scratch.headers.set("x-forwarded-proto", "http");
  },
  "headers-delete": (_request, scratch) => {
    scratch.headers.delete("proxy-connection");
  },
  "request-build": (request, scratch) => {
    sink += new Request(scratch.origin, { method: "GET", headers: request.headers, redirect: "manual" }).method.length;
  },
  "request-build-with-signal": (request, scratch) => {
    const signal = new AbortController().signal;
    const init = { method: "GET", headers: request.headers, redirect: "manual", signal };
    sink += new Request(scratch.origin, init).method.length;
  },
  "response-rewrap": (_request, scratch) => {
    sink += new Response(null, scratch.response).status;
  },
  "timer-set-clear": () => {
    clearTimeout(setTimeout(() => {}, 30_000));
  },
  "abort-controller": () => {
    sink += new AbortController().signal.aborted ? 1 : 0;
  },
  "url-parse": (request) => {
    sink += new URL(request.url).pathname.length;
  },
  "console-log": () => {
    console.log(LOG_LINE);
  },
};

const FORWARDS = {
  /** The pass-through's way. */
  "fetch-url-request": (request, origin) => fetch(origin, request),
  /** A Request built from the viewer's headers (a mutable copy), then fetched. */
  "fetch-built-request": (request, origin) =>
    fetch(new Request(origin, { method: "GET", headers: request.headers, redirect: "manual" })),
  /** The same with an AbortSignal and a timer, as a read timeout used to be done. */
  "fetch-built-request-signal": async (request, origin) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 30_000);
    const init = { method: "GET", headers: request.headers, redirect: "manual", signal: controller.signal };
    const response = await fetch(new Request(origin, init));
    clearTimeout(timer);
    return response;
  },
  /** The pass-through's fetch raced against a timer (splitfront's read timeout). */
  "fetch-timer-race": (request, origin) =>
    Promise.race([fetch(origin, request), new Promise((resolve) => setTimeout(resolve, 30_000, null))]),
  /** The response re-wrapped to make its headers mutable, and one header set (X-Cache). */
  "fetch-rewrap-set": async (request, origin) => {
    const response = await fetch(origin, request);
    const out = new Response(response.body, response);
    out.headers.set("x-cache", "Miss from splitfront");
    return out;
  },
};

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const name = url.searchParams.get("op") ?? "";
    const origin = `${env.ORIGIN}/x`;
    const forward = FORWARDS[name];
    if (forward !== undefined) return forward(request, origin);
    const op = OPS[name];
    const k = Number(url.searchParams.get("k") ?? "0");
    const scratch = {
      origin,
      headers: new Headers({ a: "1" }),
      response: new Response(null, { headers: { "content-type": "text/html", "cache-control": "no-store" } }),
    };
    for (let i = 0; i < k && op !== undefined; i++) op(request, scratch);
    return new Response(String(sink & 1));
  },
};
