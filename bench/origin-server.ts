/**
 * The benchmark's origin, run as its own process (bench/origin.ts forks it) so that the load generator, Miniflare
 * and the origin never share an event loop. Two loopback ports, "primary" and "staging", answer every request
 * with a small fixed HTML body; paths under /static/ are cacheable (max-age), everything else is `no-store`, so
 * the only cache hits in a run are the ones a scenario asks for.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { XFF_PROBE_PATH } from "./scenarios.js";

export interface OriginReadyMessage {
  type: "ready";
  primary: number;
  staging: number;
}

function handler(name: string) {
  // A body of typical "small dynamic page" size; fixed so every scenario moves the same bytes.
  const body = Buffer.from(`<!doctype html><title>${name}</title><p>${"splitfront bench ".repeat(24)}</p>\n`);
  return (req: IncomingMessage, res: ServerResponse) => {
    // Drain any request body so keep-alive connections stay usable.
    req.resume();
    const cacheable = (req.url ?? "/").startsWith("/static/");
    const headers: Record<string, string | number> = {
      "content-type": "text/html; charset=utf-8",
      "content-length": body.length,
      "cache-control": cacheable ? "public, max-age=3600" : "no-store",
      "x-origin": name,
    };
    // Only the harness's probe asks (XFF_PROBE_PATH in bench/scenarios.ts): load requests get the same response from
    // every worker.
    if ((req.url ?? "/").startsWith(XFF_PROBE_PATH))
      headers["x-bench-seen-xff"] = String(req.headers["x-forwarded-for"] ?? "(none)");
    res.writeHead(200, headers);
    res.end(req.method === "HEAD" ? undefined : body);
  };
}

function listen(name: string): Promise<number> {
  const server = createServer({ keepAliveTimeout: 60_000 }, handler(name));
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

const [primary, staging] = await Promise.all([listen("primary"), listen("staging")]);
const ready: OriginReadyMessage = { type: "ready", primary, staging };
process.send?.(ready);
// The parent ends this process by pid when the run is over; also go when the parent goes.
process.on("disconnect", () => process.exit(0));
