/**
 * The origin's response body, held to CloudFront's OriginReadTimeout between packets and never passed on as
 * complete when it is not. workerd itself waits forever for a stalled body, and a cut one reaches the viewer as
 * it did (a short Content-Length body breaks the viewer's connection; a cut chunked body does not: see below).
 *
 * - A body with a Content-Length of at most BUFFERED_BODY_BYTES (most pages, API answers, scripts) is read whole
 *   before the viewer gets anything: one native read (`arrayBuffer()`), the cheapest way found to see a body end
 *   (`npm run bench:runtime-ops`, `watch-*`: +52k instructions, against +390k for a pump through JavaScript). It must
 *   arrive within the read timeout of its headers. The viewer then gets it with its Content-Length.
 * - A larger body, or one without a length (chunked), is streamed through a pump that notes each packet: the read
 *   timeout bounds each wait for the origin's next packet, as on CloudFront (a slow viewer does not count).
 * - A body that is cut, reset or stalls is never presented as complete: the viewer gets the origin's status and
 *   headers and then a broken connection (a Content-Length the body never reaches), and the result is marked
 *   `cut`, so nothing stores it. One log line says what happened. The exception is workerd's own HTTP server (local
 *   runs): it ends a chunked response whose stream failed with a terminating chunk (cloudflare/workerd#6818), so a
 *   chunked body cut after it began streaming looks complete there; it is still never cached, and it is logged.
 */

/** Bodies with a Content-Length up to this size are read whole before the viewer gets them. */
export const BUFFERED_BODY_BYTES = 256 * 1024;

export const TIMED_OUT = Symbol("timed out");

/**
 * What the edge knows of the body it hands on: none (HEAD, 204, 304, an empty body, a WebSocket); whole (read into
 * memory); streamed (still arriving, watched: a later fault breaks the viewer's response and its stream errors, so
 * a cache write of it fails); cut (it failed before the viewer got anything: the response breaks off at once).
 */
export type BodyState = "none" | "whole" | "streamed" | "cut";

export interface OriginBody {
  kind: "response";
  response: Response;
  body: BodyState;
  /**
   * The origin's status and Content-Length (null: none, or not a number), read once here: each read of a
   * Response's status or header is a call into the runtime (bench/README.md), and later steps need both.
   */
  status: number;
  length: number | null;
  /** The origin's headers hold a hop-by-hop one the edge must remove (origin.ts, needsHygiene()). */
  hopByHop: boolean;
}

/**
 * Reads or watches the body of an origin response whose headers arrived (`headers` are its headers, `hopByHop`
 * whether they hold a hop-by-hop one: both read by the caller); `timer` is the read timeout the headers were raced
 * against (it fires `timeoutMs` after the request went out), reused for the body so a body that ends in time costs
 * no timer of its own, and stopped here once the body is read, streamed to its end or given up.
 */
export function readOriginBody(
  response: Response,
  headers: Headers,
  hopByHop: boolean,
  timeoutMs: number,
  timer: ReadTimer,
): OriginBody | Promise<OriginBody> {
  const body = response.body;
  const status = response.status;
  const size = declaredLength(headers);
  if (body === null || status === 101 || size === 0) {
    stopTimer(timer);
    return got(response, "none", status, size, hopByHop);
  }
  if (size !== null && size <= BUFFERED_BODY_BYTES) {
    // The whole body within the read timeout of its headers: the header timer, then (if it fires first) what is
    // left of that timeout on a timer of its own, held in `timer` so that stopping it stops whichever is pending.
    const headersAt = Date.now();
    const deadline = timer.fired.then(() => rearm(timer, headersAt + timeoutMs - Date.now()));
    return Promise.race([response.arrayBuffer(), deadline]).then(
      (bytes): OriginBody => {
        if (bytes === TIMED_OUT) return got(cut(response, size, "stalled"), "cut", status, size, hopByHop);
        stopTimer(timer);
        return got(new Response(bytes, response), "whole", status, size, hopByHop);
      },
      (): OriginBody => {
        stopTimer(timer);
        return got(cut(response, size, "cut"), "cut", status, size, hopByHop);
      },
    );
  }
  return got(watched(response, body, size, timeoutMs, timer), "streamed", status, size, hopByHop);
}

/** A response's Content-Length, or null: none, or not a number (workerd has already refused a malformed one). */
export function declaredLength(headers: Headers): number | null {
  const header = headers.get("content-length");
  const declared = header === null ? Number.NaN : Number(header);
  return Number.isSafeInteger(declared) ? declared : null;
}

function got(
  response: Response,
  body: BodyState,
  status: number,
  length: number | null,
  hopByHop: boolean,
): OriginBody {
  return { kind: "response", response, body, status, length, hopByHop };
}

/**
 * One request's read timeout: `fired` settles with TIMED_OUT when it runs out (at once when `ms` is not positive),
 * and `id` is the timer pending now (rearm() replaces it while a body lasts). Stopped as soon as the response is
 * read or given up: a pending timer holds its callback, and through the promises raced against it the request's
 * response, headers and body, until it fires or the request's context ends.
 */
export interface ReadTimer {
  fired: Promise<typeof TIMED_OUT>;
  id: number | undefined;
}

export function startTimer(ms: number): ReadTimer {
  const timer: ReadTimer = { fired: RAN_OUT, id: undefined };
  if (ms > 0) timer.fired = new Promise((resolve) => (timer.id = setTimeout(resolve, ms, TIMED_OUT)));
  return timer;
}

export function stopTimer(timer: ReadTimer): void {
  if (timer.id !== undefined) clearTimeout(timer.id);
}

/** Arms `timer` again for `ms` (its earlier timer has fired) and answers its new `fired`. */
function rearm(timer: ReadTimer, ms: number): Promise<typeof TIMED_OUT> {
  const next = startTimer(ms);
  timer.id = next.id;
  return next.fired;
}

const RAN_OUT: Promise<typeof TIMED_OUT> = Promise.resolve(TIMED_OUT);

/** The origin's status and headers, then a connection that breaks off: its body can never reach its length. */
function cut(response: Response, size: number | null, why: "cut" | "stalled"): Response {
  logFault(response, why);
  const { readable, writable } = new FixedLengthStream(size !== null && size > 0 ? size : 1);
  writable.abort(FAULT[why]).catch(() => undefined);
  return new Response(readable, response);
}

/** What a fault is called in the log line and in the viewer's aborted stream (workerd logs the latter too). */
const FAULT = { cut: "origin body cut short", stalled: "origin body stalled past the read timeout" } as const;

function logFault(response: Response, why: "cut" | "stalled"): void {
  console.error(
    JSON.stringify({
      msg: FAULT[why],
      status: response.status,
      url: response.url,
    }),
  );
}

/**
 * The body piped through JavaScript so each wait for the origin is seen: a Content-Length body keeps its framing
 * (a FixedLengthStream), a chunked one goes out chunked. A fault aborts the viewer's side.
 */
function watched(
  response: Response,
  body: ReadableStream<Uint8Array>,
  size: number | null,
  timeoutMs: number,
  timer: ReadTimer,
): Response {
  const { readable, writable } = size === null ? new IdentityTransformStream() : new FixedLengthStream(size);
  const reader = body.getReader();
  const writer = writable.getWriter();
  // `waitingSince` is when the pending read from the origin began; null while the viewer is being written to.
  const state: { waitingSince: number | null; over: boolean } = { waitingSince: null, over: false };
  const fail = (why: "cut" | "stalled") => {
    if (state.over) return;
    state.over = true;
    stopTimer(timer);
    logFault(response, why);
    writer.abort(FAULT[why]).catch(() => undefined);
    reader.cancel(FAULT[why]).catch(() => undefined);
  };
  const read = (): Promise<void> => {
    state.waitingSince = Date.now();
    return reader.read().then(
      (r) => {
        state.waitingSince = null;
        if (state.over) return;
        if (r.done) {
          state.over = true;
          stopTimer(timer);
          return writer.close();
        }
        // A failed write is the viewer going away: stop reading the origin, quietly.
        return writer.write(r.value).then(read, () => {
          state.over = true;
          stopTimer(timer);
          reader.cancel().catch(() => undefined);
        });
      },
      () => fail("cut"),
    );
  };
  read().catch(() => undefined);
  // The header timer fires first; then one timer per read timeout while the body lasts.
  const check = () => {
    if (state.over) return;
    const since = state.waitingSince;
    const idle = since === null ? 0 : Date.now() - since;
    if (idle >= timeoutMs) fail("stalled");
    else timer.id = setTimeout(check, timeoutMs - idle);
  };
  timer.fired.then(check, () => undefined);
  return new Response(readable, response);
}
