/**
 * A loopback origin whose response body goes wrong on request, for the origin-fault tests: the query string picks
 * the fault. Node's own HTTP server frames the body (Content-Length, or chunked when `framing=chunked`); a fault
 * acts on the socket underneath, so the framing is left unfinished as a real broken origin leaves it.
 *
 * - `fault`: `none` (default), `cut` (the connection is closed after `sent` bytes: a Content-Length never reached,
 *   or a chunked body without its last chunk), `reset` (the same, with a TCP reset) or `stall` (silence after `sent`
 *   bytes, until the test's origins are closed);
 * - `size` (default 10000) and `sent` (default 100) bytes; `chunk` and `gap` (ms) send the body in pieces, spaced;
 * - `wait` (ms): the status and headers are sent after that long (the body follows as above);
 * - `once=1`: the fault applies to the first request for this exact URL only; later ones get the whole body (to
 *   see that a cut response was not cached);
 * - `status`: the response's status (default 200);
 * - `cc`: the Cache-Control header (default `max-age=600`, so a cached behaviour would store it);
 * - `gzip=1`: the body is sent gzip-compressed (`Content-Encoding: gzip`; `gzip=store`: without compression, so
 *   the encoded body is as large as the plain one), and `x-gzip-length` says how long the encoded body is.
 *
 * The body is the digits 0-9 repeated; `x-request-count` says how often this exact URL was asked for.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";

export function faultyOrigin(): (req: IncomingMessage, res: ServerResponse) => void {
  const seen = new Map<string, number>();
  return (req, res) => {
    req.resume();
    // Held now: `res.socket` can already be detached by the time the fault acts.
    const socket = req.socket;
    const key = req.url ?? "/";
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    const q = new URL(key, "http://origin").searchParams;
    const num = (name: string, fallback: number) => Number(q.get(name) ?? fallback);
    const plain = Buffer.alloc(num("size", 10_000), "0123456789");
    const gzip = q.get("gzip");
    const body = gzip === null ? plain : gzipSync(plain, { level: gzip === "store" ? 0 : 6 });
    const size = body.length;
    const fault = q.get("once") === "1" && count > 1 ? "none" : (q.get("fault") ?? "none");
    const limit = fault === "none" ? size : Math.min(size, num("sent", 100));
    const chunk = Math.max(1, num("chunk", size));
    const gap = num("gap", 0);
    const headers: Record<string, string> = {
      "content-type": "text/plain",
      "cache-control": q.get("cc") ?? "max-age=600",
      "x-origin": "faulty",
      "x-request-count": String(count),
      // One connection per response: none is pooled, so every request meets exactly the fault it asked for.
      connection: "close",
    };
    if (q.get("framing") !== "chunked") headers["content-length"] = String(size);
    if (gzip !== null) {
      headers["content-encoding"] = "gzip";
      headers["x-gzip-length"] = String(size);
    }
    let at = 0;
    const finish = () => {
      // A moment for what was written to leave before the socket goes.
      if (fault === "none") res.end();
      else if (fault === "cut") setTimeout(() => socket.end(), 20);
      else if (fault === "reset") setTimeout(() => socket.resetAndDestroy(), 20);
      // "stall": nothing more, ever.
    };
    const next = () => {
      if (at >= limit) {
        finish();
        return;
      }
      const n = Math.min(chunk, limit - at);
      res.write(body.subarray(at, at + n));
      at += n;
      if (gap > 0) setTimeout(next, gap);
      else next();
    };
    const respond = () => {
      res.writeHead(num("status", 200), headers);
      if (req.method === "HEAD") res.end();
      else next();
    };
    const wait = num("wait", 0);
    if (wait > 0) setTimeout(respond, wait);
    else respond();
  };
}
