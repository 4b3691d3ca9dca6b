/**
 * Loopback origin servers shared by the test suites and the demo: each answers with a body that names it and
 * echoes what it received, so a test can see which origin served a request and what the edge forwarded.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ProvidedContext } from "vitest";
import { WebSocketServer } from "ws";
import { faultyOrigin } from "./faulty-origin.js";

/**
 * workerd keeps idle origin connections pooled for about as long as Node's default keep-alive (5 s) and can send
 * the next request on one Node has just closed ("Network connection lost"); a longer keep-alive on the origin's
 * side (as load balancers in front of real origins have: 60 s) keeps the tests from racing it.
 */
function createServer(handler?: (req: IncomingMessage, res: ServerResponse) => void): Server {
  return createHttpServer({ keepAliveTimeout: 60_000 }, handler);
}

/** The ports, as tests receive them (documented in test/support/provided-context.d.ts). */
export type TestOriginPorts = ProvidedContext["origins"];

export interface Echo {
  origin: string;
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Query parameters let a test choose the response: status, cache-control, set-cookie, location, delay, hop. */
function echoHandler(name: string) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://origin");
    const body = await readBody(req);
    const delay = Number(url.searchParams.get("delay") ?? 0);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    const echo: Echo = { origin: name, method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
    const status = Number(url.searchParams.get("status") ?? 200);
    const headers: Record<string, string> = { "content-type": "application/json", "x-origin": name };
    const cc = url.searchParams.get("cc");
    if (cc !== null) headers["cache-control"] = cc;
    const setCookie = url.searchParams.get("set-cookie");
    if (setCookie !== null) headers["set-cookie"] = setCookie;
    const location = url.searchParams.get("location");
    if (location !== null) headers.location = location;
    // ?hop=0: a plain response, with no header named by Connection for the edge to remove.
    if (url.searchParams.get("hop") !== "0") {
      headers.connection = "keep-alive, x-hop";
      headers["x-hop"] = "must-not-reach-viewer";
    }
    // A Content-Length, as most origins send for a small body (writeHead alone would make it chunked).
    const payload = JSON.stringify(echo);
    headers["content-length"] = String(Buffer.byteLength(payload));
    res.writeHead(status, headers);
    res.end(req.method === "HEAD" ? undefined : payload);
  };
}

/**
 * Node closes an idle keep-alive connection after 5 s by default, racing workerd's reuse of it from its pool: a
 * request sent just then fails with "Network connection lost" on every pooled connection at once (seen after a
 * burst of concurrent viewers). Test origins keep idle connections for the whole run instead; close() ends them.
 */
const KEEP_ALIVE_MS = 10 * 60_000;

function listen(server: Server): Promise<number> {
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

function withWebSocket(server: Server, name: string): void {
  const wss = new WebSocketServer({ server });
  wss.on("connection", (socket) => {
    socket.on("message", (data) => socket.send(`${name}:${String(data)}`));
  });
}

export async function startTestOrigins(): Promise<{ ports: TestOriginPorts; close: () => Promise<void> }> {
  const primary = createServer(echoHandler("primary"));
  const staging = createServer(echoHandler("staging"));
  withWebSocket(primary, "primary");
  withWebSocket(staging, "staging");
  const slow = createServer((_req, res) => {
    setTimeout(() => res.end("too late"), 3000).unref();
  });
  const unavailable = createServer((req, res) => {
    req.resume();
    res.writeHead(503, { "content-type": "text/plain", "x-origin": "unavailable" });
    res.end("unavailable");
  });
  const attemptsByKey = new Map<string, number>();
  const flaky = createServer((req, res) => {
    const [, key = "", n = "0"] = (req.url ?? "/").split("/");
    const seen = (attemptsByKey.get(key) ?? 0) + 1;
    attemptsByKey.set(key, seen);
    if (seen <= Number(n)) {
      req.socket.destroy();
      return;
    }
    res.writeHead(200, { "content-type": "text/plain", "x-origin": "flaky" });
    res.end(`attempt ${seen}`);
  });
  // An origin that starts failing on demand: `/__mode/<key>/fail` (or `/drop`, or `/ok`) switches every request
  // under `/<key>/` to 500s (or to a dropped connection, which the edge answers 502, or back to the echo); a test
  // scopes its key with the distribution's OriginPath.
  const failing = new Map<string, "fail" | "drop">();
  const echoSwitchable = echoHandler("switchable");
  const switchable = createServer((req, res) => {
    const [, first = "", key = "", mode = ""] = (req.url ?? "/").split("?")[0]?.split("/") ?? [];
    if (first === "__mode") {
      if (mode === "fail" || mode === "drop") failing.set(key, mode);
      else failing.delete(key);
      res.writeHead(204);
      res.end();
      return;
    }
    const failure = failing.get(first);
    if (failure === "drop") {
      req.socket.destroy();
      return;
    }
    if (failure === "fail") {
      req.resume();
      res.writeHead(500, { "content-type": "text/plain", "x-origin": "switchable" });
      res.end("failing on purpose");
      return;
    }
    void echoSwitchable(req, res);
  });
  const faulty = createServer(faultyOrigin());
  const probe = createServer();
  const servers = [primary, staging, slow, unavailable, flaky, switchable, faulty];
  // Node closes an idle keep-alive connection after 5 s; workerd may pick that connection for its next request as
  // the FIN arrives ("Network connection lost", a 502), which a loaded machine makes likely. Idle connections are
  // left for the client to close.
  for (const srv of servers) srv.keepAliveTimeout = 120_000;
  const [p, s, sl, un, fl, sw, fa, down] = await Promise.all([
    listen(primary),
    listen(staging),
    listen(slow),
    listen(unavailable),
    listen(flaky),
    listen(switchable),
    listen(faulty),
    listen(probe),
  ]);
  // Free the probe's port again: a port that was just free is the best "nothing listens here" we can get.
  await new Promise<void>((r) => probe.close(() => r()));
  return {
    ports: { primary: p, staging: s, slow: sl, down, unavailable: un, flaky: fl, switchable: sw, faulty: fa },
    close: async () => {
      await Promise.all(
        servers.map(
          (srv) =>
            new Promise<void>((r) => {
              srv.closeAllConnections();
              srv.close(() => r());
            }),
        ),
      );
    },
  };
}
