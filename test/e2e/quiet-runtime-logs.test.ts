/**
 * The test harness's filter of workerd's log records (test/support/node/quiet-runtime-logs.ts): it drops what the
 * tests cause on purpose and nothing else, whichever order the paired records come in. (A Node-side test of the
 * harness; it lives with the Node-side tests.)
 */
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { runtimeNoiseFilter } from "../support/node/quiet-runtime-logs.js";

const REFUSED = "exception = kj/async-io-unix.c++:1538: disconnected: connect(): Connection refused\nstack: a b c";
const LOST_1 = "uncaught exception; source = Uncaught (in promise); stack = Error: Network connection lost.";
const LOST_2 =
  "uncaught exception; exception = workerd/jsg/value.h:1480: disconnected: jsg.Error: Network connection lost.\nstack: x";
const tls = (id: string) =>
  `e = kj/compat/tls.c++:82: failed: OpenSSL error; message = error:100000f7:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER\nstack: a; sentryErrorContext = jsgInternalError; wdErrId = ${id}`;
const internal = (id: string) =>
  `uncaught exception; source = Uncaught (in promise); stack = Error: internal error; reference = ${id}`;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Feeds records through one filter; returns what was written, now or after the pairing window. */
function feed(records: string[]): string[] {
  const filter = runtimeNoiseFilter();
  const written: string[] = [];
  for (const r of records) if (!filter(r, () => written.push(r))) written.push(r);
  vi.advanceTimersByTime(5_000);
  return written;
}

it("drops a deliberate connection failure with its two uncaught records, in either order", () => {
  expect(feed([REFUSED, LOST_1, LOST_2])).toEqual([]);
  expect(feed([LOST_1, LOST_2, REFUSED])).toEqual([]);
  expect(feed([LOST_1, REFUSED, LOST_2])).toEqual([]);
});

it("writes an uncaught exception no failure accounts for (after the pairing window)", () => {
  expect(feed([LOST_1])).toEqual([LOST_1]);
  // One failure accounts for two records, not three.
  expect(feed([REFUSED, LOST_1, LOST_2, LOST_1])).toEqual([LOST_1]);
  const own = "uncaught exception; source = Uncaught (in promise); stack = TypeError: x is undefined";
  expect(feed([REFUSED, own])).toEqual([own]);
});

it("pairs a TLS failure with the internal errors of the same id only", () => {
  expect(feed([internal("abc"), tls("abc"), internal("abc")])).toEqual([]);
  expect(feed([tls("abc"), internal("other")])).toEqual([internal("other")]);
});

it("pairs a failed DNS lookup with the internal errors of its id, and drops the origin bodies broken on purpose", () => {
  const dns = (id: string) =>
    `e = kj/async-io-unix.c++:1298: failed: DNS lookup failed.; params.host = bad; params.service = \nstack: a; sentryErrorContext = jsgInternalError; wdErrId = ${id}`;
  expect(feed([dns("d1"), internal("d1"), internal("d1"), internal("d2")])).toEqual([internal("d2")]);
  const cut =
    "exception = kj/compat/http.c++:2064: disconnected: premature EOF in HTTP entity body; did not reach Content-Length; expectedLength = 10000; alreadyRead = 100\nstack: a b";
  const reset =
    "exception = kj/async-io-unix.c++:568: disconnected: ::read(fd, buffer, maxBytes): Connection reset by peer";
  const aborted =
    "workerd/server/server.c++:5492: error: Uncaught exception: workerd/jsg/value.h:1480: failed: remote.jsg.Error: origin body cut short\nstack: a";
  expect(feed([cut, reset, aborted, LOST_1])).toEqual([LOST_1]);
});

it("drops the pool's WebSocket teardown and lets everything else through", () => {
  const teardown = "exception = workerd/api/web-socket.c++:821: disconnected: WebSocket peer disconnected";
  const failure = " FAIL  test/x.test.ts > something\nAssertionError: expected 1 to be 2";
  expect(feed([teardown, failure, '{"msg":"edge config read failed"}'])).toEqual([
    failure,
    '{"msg":"edge config read failed"}',
  ]);
});
