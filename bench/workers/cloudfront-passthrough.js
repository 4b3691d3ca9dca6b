/**
 * The limit row: a pass-through that does only what CloudFront itself must on the way to an origin, and nothing
 * else. The viewer's address appended to X-Forwarded-For (from CF-Connecting-IP, which Cloudflare strips from a
 * Worker's subrequests), the viewer's Host as X-Forwarded-Host (the bench's behaviour forwards the Host header, and
 * a subrequest carries the origin's own), redirects passed back, and the origin read timeout with splitfront's
 * semantics (src/edge/origin.ts, src/edge/origin-body.ts): 504 when the headers do not come in time; a body with a
 * Content-Length up to 256 KiB read whole within the timeout of its headers, a larger or chunked one streamed with
 * each wait for the origin bounded; a body that fails breaks the viewer's connection. No routing, no cache, no
 * hop-by-hop checks, no X-Cache, no logging. Written on its own (not importing splitfront) so that it prices the
 * mechanism, not splitfront's code. Its timer is stopped once the body is done, as splitfront's is. env.ORIGIN is
 * "http://127.0.0.1:<port>"; env.READ_TIMEOUT_MS defaults to 30 s.
 */
const TIMED_OUT = Symbol("timed out");
const BUFFERED_BODY_BYTES = 256 * 1024;
const AS_SENT = { encodeResponseBody: "manual" };

/** The read timeout: `fired` settles with TIMED_OUT after `ms`; `id` is the pending timer's, to clear it when done. */
function startTimer(ms) {
  const timer = { id: undefined, fired: undefined };
  timer.fired = new Promise((r) => {
    timer.id = setTimeout(r, ms, TIMED_OUT);
  });
  return timer;
}

/** The origin's status and headers, then a body that can never reach its length: the connection breaks. */
function broken(response, size) {
  const { readable, writable } = new FixedLengthStream(size > 0 ? size : 1);
  writable.abort("origin body failed").catch(() => {});
  return new Response(readable, response);
}

/** A larger or chunked body, pumped so each wait for the origin's next packet is bounded. */
function streamed(response, size, timeoutMs, timer) {
  const { readable, writable } = size === null ? new IdentityTransformStream() : new FixedLengthStream(size);
  const reader = response.body.getReader();
  const writer = writable.getWriter();
  const state = { waitingSince: null, over: false };
  const fail = () => {
    if (state.over) return;
    state.over = true;
    clearTimeout(timer.id);
    writer.abort("origin body failed").catch(() => {});
    reader.cancel().catch(() => {});
  };
  const read = () => {
    state.waitingSince = Date.now();
    return reader.read().then((r) => {
      state.waitingSince = null;
      if (state.over) return;
      if (r.done) {
        state.over = true;
        clearTimeout(timer.id);
        return writer.close();
      }
      return writer.write(r.value).then(read, fail);
    }, fail);
  };
  read().catch(() => {});
  const check = () => {
    if (state.over) return;
    const idle = state.waitingSince === null ? 0 : Date.now() - state.waitingSince;
    if (idle >= timeoutMs) fail();
    else timer.id = setTimeout(check, timeoutMs - idle);
  };
  timer.fired.then(check);
  return new Response(readable, response);
}

function withBody(response, timeoutMs, timer) {
  const length = response.headers.get("content-length");
  if (response.body === null || length === "0") {
    clearTimeout(timer.id);
    return response;
  }
  const size = length === null ? null : Number(length);
  if (size === null || size > BUFFERED_BODY_BYTES) return streamed(response, size, timeoutMs, timer);
  const headersAt = Date.now();
  const deadline = timer.fired.then(() => {
    const rest = headersAt + timeoutMs - Date.now();
    if (rest <= 0) return TIMED_OUT;
    const next = startTimer(rest);
    timer.id = next.id;
    return next.fired;
  });
  return Promise.race([response.arrayBuffer(), deadline]).then(
    (bytes) => {
      if (bytes === TIMED_OUT) return broken(response, size);
      clearTimeout(timer.id);
      return new Response(bytes, response);
    },
    () => {
      clearTimeout(timer.id);
      return broken(response, size);
    },
  );
}

export default {
  fetch(request, env) {
    const url = new URL(request.url);
    const outbound = new Request(env.ORIGIN + url.pathname + url.search, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: "manual",
    });
    const headers = outbound.headers;
    const ip = headers.get("cf-connecting-ip");
    if (ip !== null) {
      const prior = headers.get("x-forwarded-for");
      headers.set("x-forwarded-for", prior === null ? ip : `${prior}, ${ip}`);
    }
    headers.set("x-forwarded-host", url.host);
    const timeoutMs = Number(env.READ_TIMEOUT_MS ?? 30_000);
    const timer = startTimer(timeoutMs);
    // The body as the origin sent it (a proxy that reads bodies must not have them decoded: see src/edge/origin.ts).
    return Promise.race([fetch(outbound, AS_SENT), timer.fired]).then(
      (response) =>
        response === TIMED_OUT ? new Response("origin timeout", { status: 504 }) : withBody(response, timeoutMs, timer),
      (err) => {
        clearTimeout(timer.id);
        throw err;
      },
    );
  },
};
