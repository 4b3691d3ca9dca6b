/**
 * A passing `npm test` should look like one: this drops the log records workerd writes for things the tests do on
 * purpose, and lets everything else through. @cloudflare/vitest-pool-workers writes each of workerd's log records
 * to this (vitest's main) process's stdout or stderr in one write and offers no hook of its own to filter them (it filters a
 * fixed list: `ignoreMessages` in its pool), so the filter sits on process.stdout and process.stderr. `VERBOSE=1 npm test` turns it off.
 *
 * Dropped, and nothing else:
 * - `WebSocket peer disconnected`: the pool's connection to a test file's runner closing when the file is done
 *   (the pool itself ignores it from 0.16 on: cloudflare/workers-sdk#13833; 0.15 is the last for Node 20).
 * - The failed connections the origin tests make on purpose (a refused port, a dropped connection, TLS spoken to a
 *   plain-HTTP port), each logged by workerd as the failure and twice as an "uncaught exception" for the same
 *   rejected fetch: logged even when the worker handles the rejection (the edge turns it into the 502 the tests
 *   assert). An uncaught exception is dropped only as the pair of such a failure, so one of the worker's own still
 *   shows. The two come on workerd's two output streams, in either order (and the pool writes them to ours by level): an unpaired uncaught exception is held
 *   for up to PAIR_WINDOW_MS, then written. A DNS lookup that fails (an origin named `bad`, for the containment
 *   tests) is paired like a TLS failure, by its id.
 * - The origin bodies the origin-fault tests break on purpose (test/support/node/faulty-origin.ts): a
 *   Content-Length body cut short, a connection reset mid-body, each logged once by workerd; and the viewer's
 *   response the edge then aborts (src/edge/origin-body.ts names the reason), logged as an uncaught exception.
 */

const PAIR_WINDOW_MS = 1000;
const ALWAYS = ["disconnected: WebSocket peer disconnected"];
const CONNECTION_FAILURES = [
  "disconnected: connect(): Connection refused",
  "disconnected: stream disconnected prematurely",
];
const BODY_FAULTS = [
  "disconnected: premature EOF in HTTP entity body; did not reach Content-Length",
  "disconnected: ::read(fd, buffer, maxBytes): Connection reset by peer",
];
const ABORTED_BY_EDGE = /Uncaught exception: .*jsg\.Error: origin body (cut short|stalled past the read timeout)/;
const TLS_FAILURE = /OpenSSL error;.*WRONG_VERSION_NUMBER.*wdErrId = (\w+)/s;
const DNS_FAILURE = /failed: DNS lookup failed\..*wdErrId = (\w+)/s;
const NETWORK_LOST = /^uncaught exception;.*Network connection lost\./s;
const INTERNAL_ERROR = /^uncaught exception;.*internal error; reference = (\w+)/s;

/** Pairs failures with the uncaught exceptions they cause, whichever comes first. */
class Pairing {
  /** Uncaught exceptions a failure already accounts for. */
  private credit = 0;
  private held: { timer: NodeJS.Timeout }[] = [];

  /** A failure accounting for `n` uncaught exceptions: drops held ones first. */
  failure(n: number): void {
    for (; n > 0 && this.held.length > 0; n--) clearTimeout(this.held.shift()?.timer);
    this.credit += n;
  }

  /** An uncaught exception: dropped if a failure accounts for it, else held, then written unless one comes. */
  uncaught(write: () => void): void {
    if (this.credit > 0) {
      this.credit--;
      return;
    }
    const entry = {
      timer: setTimeout(() => {
        this.held = this.held.filter((h) => h !== entry);
        write();
      }, PAIR_WINDOW_MS),
    };
    entry.timer.unref();
    this.held.push(entry);
  }
}

/**
 * A filter for workerd's log records: returns true for a record it takes over (dropped, or held and written later
 * by `write`), false for one to write now. One filter for both streams: a pair may be split between them.
 */
export function runtimeNoiseFilter(): (record: string, write: () => void) => boolean {
  const networkLost = new Pairing();
  const byId = new Map<string, Pairing>();
  const pairingFor = (id: string) => {
    let p = byId.get(id);
    if (p === undefined) {
      p = new Pairing();
      byId.set(id, p);
    }
    return p;
  };
  return (record, write) => {
    if (ALWAYS.some((m) => record.includes(m))) return true;
    if (CONNECTION_FAILURES.some((m) => record.includes(m))) {
      networkLost.failure(2);
      return true;
    }
    if (BODY_FAULTS.some((m) => record.includes(m)) || ABORTED_BY_EDGE.test(record)) return true;
    const failed = TLS_FAILURE.exec(record) ?? DNS_FAILURE.exec(record);
    if (failed?.[1] !== undefined) {
      pairingFor(failed[1]).failure(2);
      return true;
    }
    if (NETWORK_LOST.test(record)) {
      networkLost.uncaught(write);
      return true;
    }
    const internal = INTERNAL_ERROR.exec(record);
    if (internal?.[1] !== undefined) {
      pairingFor(internal[1]).uncaught(write);
      return true;
    }
    return false;
  };
}

/** Installs the filter on process.stdout and process.stderr (the pool writes by level), once per process. */
export function quietRuntimeLogs(): void {
  const marker = Symbol.for("splitfront.quietRuntimeLogs");
  const proc = process as typeof process & { [marker]?: true };
  if (proc[marker] === true) return;
  proc[marker] = true;
  const isNoise = runtimeNoiseFilter();
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (typeof chunk === "string" && isNoise(chunk, () => write(chunk))) {
        const callback = rest.find((a) => typeof a === "function") as (() => void) | undefined;
        if (callback !== undefined) process.nextTick(callback);
        return true;
      }
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
}
