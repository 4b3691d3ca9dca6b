/**
 * Proxy hygiene over real sockets: raw HTTP/1.1 from a viewer socket to the running worker, and a raw-header
 * origin behind it. src/edge/origin.ts removes only what workerd would pass on (proxy-* headers and the headers a
 * Connection header names) and leaves the connection-level ones to the runtime, which writes its own; this test is
 * what makes that division safe: no hop-by-hop header may cross the worker in either direction.
 */

import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { CreateDistributionCommand } from "@aws-sdk/client-cloudfront";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CACHING_DISABLED, distributionConfig, present, ref } from "./helpers/sdk.js";
import { useWorker } from "./helpers/worker.js";

const t = useWorker();

/** The header names (lower case) of the last request the origin received, and its Host. */
let received: string[] = [];
let receivedHost = "";
let origin: Server;

beforeAll(async () => {
  origin = createServer((req: IncomingMessage, res) => {
    received = req.rawHeaders.filter((_, i) => i % 2 === 0).map((name) => name.toLowerCase());
    receivedHost = req.headers.host ?? "";
    req.resume();
    // /proxy-only: no header named by Connection, so only the proxy-* headers make the edge copy the response.
    if (req.url !== "/proxy-only") {
      res.setHeader("connection", "keep-alive, x-origin-hop");
      res.setHeader("x-origin-hop", "must not reach the viewer");
    }
    res.setHeader("keep-alive", "timeout=5");
    res.setHeader("proxy-authenticate", "Basic");
    res.setHeader("proxy-connection", "keep-alive");
    res.setHeader("trailer", "x-checksum");
    res.setHeader("upgrade", "h2c");
    res.setHeader("x-origin-kept", "yes");
    res.end("hello");
  });
  await new Promise<void>((resolve) => origin.listen(0, "127.0.0.1", resolve));
});
afterAll(async () => {
  await new Promise((resolve) => origin?.close(resolve));
});

/** One raw GET on a fresh connection; resolves with the response head's header names (lower case). */
function rawGet(
  port: number,
  host: string,
  path: string,
  extra: string[],
): Promise<{ status: number; headers: string[] }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.write([`GET ${path} HTTP/1.1`, `Host: ${host}`, ...extra, "", ""].join("\r\n"));
    });
    let data = "";
    let settled = false;
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      data += chunk;
      const end = data.indexOf("\r\n\r\n");
      if (end < 0 || settled) return;
      settled = true;
      // Half-close rather than destroy: the worker may still be writing the body, and a reset socket makes workerd
      // log a broken pipe that says nothing about the test.
      socket.end();
      const [statusLine = "", ...lines] = data.slice(0, end).split("\r\n");
      resolve({
        status: Number(statusLine.split(" ")[1]),
        headers: lines.map((line) => line.slice(0, line.indexOf(":")).toLowerCase()),
      });
    });
    socket.on("error", reject);
  });
}

describe("hop-by-hop headers over real sockets", () => {
  it("none crosses the worker in either direction; end-to-end headers do", async () => {
    const port = (origin.address() as AddressInfo).port;
    const created = await t.cf.send(
      new CreateDistributionCommand({
        // AllViewerExceptHostHeader: every end-to-end viewer header reaches the origin, the viewer's Host does not.
        DistributionConfig: distributionConfig(ref("hop"), port, {
          DefaultCacheBehavior: {
            TargetOriginId: "origin",
            ViewerProtocolPolicy: "allow-all",
            CachePolicyId: CACHING_DISABLED,
            OriginRequestPolicyId: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
          },
        }),
      }),
    );
    const host = present(created.Distribution?.DomainName, "domain name");
    const worker = new URL(t.worker.url);

    const response = await rawGet(Number(worker.port), host, "/hygiene", [
      "Connection: keep-alive, X-Viewer-Hop",
      "X-Viewer-Hop: must not reach the origin",
      "Keep-Alive: timeout=5",
      "TE: trailers",
      "Trailer: X-Checksum",
      "Proxy-Authorization: Basic dXNlcjpwYXNz",
      "Proxy-Connection: keep-alive",
      "Upgrade: h2c",
      "X-Viewer-Kept: yes",
    ]);

    expect(response.status).toBe(200);
    const hopByHop = ["keep-alive", "te", "trailer", "upgrade", "proxy-authorization", "proxy-connection"];
    expect(received).toContain("x-viewer-kept");
    // AllViewerExceptHostHeader forwards no Host: no X-Forwarded-Host is added either.
    expect(received).not.toContain("x-forwarded-host");
    // The origin's own authority, not the viewer's Host.
    expect(receivedHost).toBe(`127.0.0.1:${port}`);
    for (const name of [...hopByHop, "x-viewer-hop"]) expect(received, `origin got ${name}`).not.toContain(name);
    // The only Connection header the origin sees is the runtime's own for its connection, naming nothing of ours.
    expect(response.headers).toContain("x-origin-kept");
    for (const name of [...hopByHop, "proxy-authenticate", "x-origin-hop"]) {
      expect(response.headers, `viewer got ${name}`).not.toContain(name);
    }
    // The behaviour never caches, so the origin's response is passed on as it came unless it needs cleaning:
    // proxy-* headers alone are enough to make the edge copy and clean it.
    const proxyOnly = await rawGet(Number(worker.port), host, "/proxy-only", []);
    expect(proxyOnly.status).toBe(200);
    expect(proxyOnly.headers).toContain("x-origin-kept");
    expect(proxyOnly.headers).not.toContain("x-cache");
    for (const name of hopByHop.concat("proxy-authenticate")) {
      expect(proxyOnly.headers, `viewer got ${name}`).not.toContain(name);
    }
  });
});
