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

/** The request headers CloudFront always forwards, plus two an origin request policy lists (fetch-allow-*). */
const ALLOW_LIST = [
  "authorization",
  "cache-control",
  "content-length",
  "content-md5",
  "content-type",
  "if-match",
  "if-modified-since",
  "if-none-match",
  "if-range",
  "if-unmodified-since",
  "pragma",
  "range",
  "x-forwarded-for",
  "accept-language",
  "user-agent",
];
const ALLOW_SET = new Set(ALLOW_LIST);

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
  /** The same, fetched with encodeResponseBody: "manual" (the body as the origin sent it: src/edge/origin.ts). */
  "fetch-built-request-manual": (request, origin) =>
    fetch(new Request(origin, { method: "GET", headers: request.headers, redirect: "manual" }), {
      encodeResponseBody: "manual",
    }),
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
  /** No intermediate Request: fetch's own init takes the viewer's headers (one copy, no edits possible). */
  "fetch-init-headers": (request, origin) =>
    fetch(origin, { method: request.method, headers: request.headers, redirect: "manual" }),
  /** A built Request edited with two sets (X-Forwarded-Proto/-Host), then fetched. */
  "fetch-built-edit": (request, origin) => {
    const outbound = new Request(origin, { method: "GET", headers: request.headers, redirect: "manual" });
    outbound.headers.set("x-forwarded-proto", "http");
    outbound.headers.set("x-forwarded-host", "h.example");
    return fetch(outbound);
  },
  /** A Headers copy edited with the same two sets, handed to fetch's init (no intermediate Request). */
  "fetch-copy-init": (request, origin) => {
    const headers = new Headers(request.headers);
    headers.set("x-forwarded-proto", "http");
    headers.set("x-forwarded-host", "h.example");
    return fetch(origin, { method: request.method, headers, redirect: "manual" });
  },
  /** The viewer's headers as JS pairs (one iteration), two appended, handed to fetch's init. */
  "fetch-pairs-init": (request, origin) => {
    const pairs = [...request.headers];
    pairs.push(["x-forwarded-proto", "http"], ["x-forwarded-host", "h.example"]);
    return fetch(origin, { method: request.method, headers: pairs, redirect: "manual" });
  },
  /** The viewer's headers as a plain record, two added, handed to fetch's init. */
  "fetch-record-init": (request, origin) => {
    const record = {};
    for (const [name, value] of request.headers) record[name] = value;
    record["x-forwarded-proto"] = "http";
    record["x-forwarded-host"] = "h.example";
    return fetch(origin, { method: request.method, headers: record, redirect: "manual" });
  },
  /** The pass-through's fetch, its promise chained with .then rather than awaited in an async function. */
  "fetch-then-rewrap-set": (request, origin) =>
    fetch(origin, request).then((response) => {
      const out = new Response(response.body, response);
      out.headers.set("x-cache", "Miss from splitfront");
      return out;
    }),
  /** The response rebuilt from status and headers (not the Response as init), and one header set. */
  "fetch-rebuild-set": async (request, origin) => {
    const response = await fetch(origin, request);
    const out = new Response(response.body, { status: response.status, headers: response.headers });
    out.headers.set("x-cache", "Miss from splitfront");
    return out;
  },
  /** The response's headers copied, one set, and a new Response built from them. */
  "fetch-copy-rebuild": async (request, origin) => {
    const response = await fetch(origin, request);
    const headers = new Headers(response.headers);
    headers.set("x-cache", "Miss from splitfront");
    return new Response(response.body, { status: response.status, headers });
  },
  /**
   * The least a CloudFront-like forward does: a mutable copy of the viewer's headers with X-Forwarded-For
   * appended and the proxy headers removed, and the response checked for Connection-named headers.
   */
  "fetch-lean": (request, origin) => leanForward(request, origin, null),
  /** A built Request with X-Forwarded-For appended, and nothing else. */
  "fetch-built-xff": (request, origin) => {
    const outbound = new Request(origin, { method: request.method, headers: request.headers, redirect: "manual" });
    const ip = outbound.headers.get("cf-connecting-ip") ?? "127.0.0.1";
    outbound.headers.set("x-forwarded-for", ip);
    return fetch(outbound);
  },
  /** The same raced against a setTimeout promise (the read timeout). */
  "fetch-lean-timer": (request, origin) =>
    leanForward(request, origin, new Promise((resolve) => setTimeout(resolve, 30_000, null))),
  /** The same raced against scheduler.wait(). */
  "fetch-lean-wait": (request, origin) => leanForward(request, origin, scheduler.wait(30_000)),
  /**
   * An origin request policy's allow-list, as CloudFront forwards only some viewer headers: a fresh Headers filled
   * by one get per allowed name (the always-forwarded set plus the policy's two), then fetched.
   */
  "fetch-allow-get": (request, origin) => {
    const headers = new Headers();
    for (const name of ALLOW_LIST) {
      const value = request.headers.get(name);
      if (value !== null) headers.set(name, value);
    }
    return fetch(new Request(origin, { method: request.method, headers, redirect: "manual" }));
  },
  /** The same allow-list by one pass over the viewer's headers, appending the allowed ones to a fresh Headers. */
  "fetch-allow-iterate": (request, origin) => {
    const headers = new Headers();
    for (const [name, value] of request.headers) if (ALLOW_SET.has(name)) headers.append(name, value);
    return fetch(new Request(origin, { method: request.method, headers, redirect: "manual" }));
  },
  /** The same allow-list by copying everything, then deleting each viewer header the list does not name. */
  "fetch-allow-delete": (request, origin) => {
    const outbound = new Request(origin, { method: request.method, headers: request.headers, redirect: "manual" });
    const drop = [];
    for (const name of outbound.headers.keys()) if (!ALLOW_SET.has(name)) drop.push(name);
    for (const name of drop) outbound.headers.delete(name);
    return fetch(outbound);
  },
  /** The response re-wrapped to make its headers mutable, and one header set (X-Cache). */
  "fetch-rewrap-set": async (request, origin) => {
    const response = await fetch(origin, request);
    const out = new Response(response.body, response);
    out.headers.set("x-cache", "Miss from splitfront");
    return out;
  },
};

/**
 * The body watches an idle read timeout can use (the origin stalls between packets): each is the read-timeout race
 * on the headers, then a different way of seeing the body's progress so a stall can cut the viewer's response.
 */
const TIMED_OUT = Symbol("timed out");
function headerRace(request, origin) {
  const timer = new Promise((resolve) => setTimeout(resolve, 30_000, TIMED_OUT));
  return Promise.race([fetch(origin, request), timer]);
}

/** A JS pump from the origin's reader into a FixedLengthStream (keeps Content-Length framing), noting progress. */
function pumpWatch(response) {
  const body = response.body;
  if (body === null) return response;
  const length = response.headers.get("content-length");
  const { readable, writable } =
    length === null ? new IdentityTransformStream() : new FixedLengthStream(Number(length));
  const reader = body.getReader();
  const writer = writable.getWriter();
  const state = { last: Date.now() };
  const step = (r) => {
    if (r.done) return writer.close();
    state.last = Date.now();
    return writer.write(r.value).then(() => reader.read().then(step));
  };
  reader
    .read()
    .then(step)
    .catch((err) => writer.abort(err).catch(() => {}));
  return new Response(readable, response);
}

Object.assign(FORWARDS, {
  /** The read-timeout race on the headers only (today's splitfront), for the rows below to be read against. */
  "watch-none": (request, origin) => headerRace(request, origin),
  /** A reader/writer pump into a FixedLengthStream, Date.now() per chunk. */
  "watch-pump-fls": (request, origin) => headerRace(request, origin).then(pumpWatch),
  /** pipeThrough a JS TransformStream that notes progress, then a FixedLengthStream for the framing. */
  "watch-transform-fls": (request, origin) =>
    headerRace(request, origin).then((response) => {
      const state = { last: 0 };
      const seen = new TransformStream({
        transform(chunk, controller) {
          state.last = Date.now();
          controller.enqueue(chunk);
        },
      });
      const length = Number(response.headers.get("content-length"));
      const out = response.body.pipeThrough(seen).pipeThrough(new FixedLengthStream(length));
      return new Response(out, response);
    }),
  /** The whole body read into memory (raced against nothing more), then answered with it. */
  "watch-buffer": (request, origin) =>
    headerRace(request, origin).then((response) =>
      response.arrayBuffer().then((bytes) => new Response(bytes, response)),
    ),
  /** The body tee'd: one branch to the viewer natively, the other read in JS to see progress. */
  "watch-tee": (request, origin) =>
    headerRace(request, origin).then((response) => {
      const [viewer, watch] = response.body.tee();
      const reader = watch.getReader();
      const step = (r) => (r.done ? undefined : reader.read().then(step));
      reader
        .read()
        .then(step)
        .catch(() => {});
      return new Response(viewer, response);
    }),
  /** A reader loop collecting the chunks, then answered with them (what a bounded buffer of a chunked body costs). */
  "watch-read-collect": (request, origin) =>
    headerRace(request, origin).then((response) => {
      const reader = response.body.getReader();
      const chunks = [];
      const step = (r) => {
        if (r.done) return new Response(chunks.length === 1 ? chunks[0] : new Blob(chunks), response);
        chunks.push(r.value);
        return reader.read().then(step);
      };
      return reader.read().then(step);
    }),
  /** A reader/writer pump into an IdentityTransformStream (no length: the viewer gets it chunked). */
  "watch-pump-its": (request, origin) =>
    headerRace(request, origin).then((response) => {
      const { readable, writable } = new IdentityTransformStream();
      const reader = response.body.getReader();
      const writer = writable.getWriter();
      const step = (r) => (r.done ? writer.close() : writer.write(r.value).then(() => reader.read().then(step)));
      reader.read().then(step);
      return new Response(readable, response);
    }),
  /** The pump again, reading with a BYOB reader into a fresh 16 KiB view each time. */
  "watch-pump-byob": (request, origin) =>
    headerRace(request, origin).then((response) => {
      const { readable, writable } = new IdentityTransformStream();
      const reader = response.body.getReader({ mode: "byob" });
      const writer = writable.getWriter();
      const step = (r) =>
        r.done ? writer.close() : writer.write(r.value).then(() => reader.read(new Uint8Array(16384)).then(step));
      reader.read(new Uint8Array(16384)).then(step);
      return new Response(readable, response);
    }),
  /** A JS ReadableStream that pulls from the origin's reader (the viewer gets it chunked). */
  "watch-pull-stream": (request, origin) =>
    headerRace(request, origin).then((response) => {
      const reader = response.body.getReader();
      const out = new ReadableStream({
        pull(controller) {
          return reader.read().then((r) => (r.done ? controller.close() : controller.enqueue(r.value)));
        },
      });
      return new Response(out, response);
    }),
  /** The origin's body piped natively into a FixedLengthStream (no progress seen: the price of the pipe alone). */
  "watch-pipeto-fls": (request, origin) =>
    headerRace(request, origin).then((response) => {
      const { readable, writable } = new FixedLengthStream(Number(response.headers.get("content-length")));
      response.body.pipeTo(writable).catch(() => {});
      return new Response(readable, response);
    }),
  /** Only the re-wrap the watches all pay (a Response around the origin's body), for reference. */
  "watch-rewrap-only": (request, origin) =>
    headerRace(request, origin).then((response) => new Response(response.body, response)),
});

async function leanForward(request, origin, timeout) {
  const outbound = new Request(origin, { method: request.method, headers: request.headers, redirect: "manual" });
  const headers = outbound.headers;
  const ip = headers.get("cf-connecting-ip") ?? "127.0.0.1";
  const prior = headers.get("x-forwarded-for");
  headers.set("x-forwarded-for", prior === null ? ip : `${prior}, ${ip}`);
  if (headers.get("connection") !== null) headers.delete("x-named");
  headers.delete("proxy-authorization");
  headers.delete("proxy-connection");
  const pending = fetch(outbound);
  const response = await (timeout === null ? pending : Promise.race([pending, timeout]));
  if (response.headers.get("connection") !== null) return new Response(response.body, response);
  return response;
}

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
