/**
 * What the viewer's connection really sees when an origin's body goes wrong (test/support/node/faulty-origin.ts),
 * over raw sockets to the running worker: with a Content-Length the connection breaks before the length is reached,
 * whether the origin cut the body, reset the connection or stalled past OriginReadTimeout (1 s here), and the next
 * viewer is served the whole object from the origin, not a cut one from the cache. A chunked body that fails
 * after it began streaming cannot be marked incomplete on workerd's own HTTP server (it ends every chunked
 * response with a last chunk: cloudflare/workerd#6818); there the connection still closes at once, the body is
 * short, and nothing is cached (test/integration/edge/origin-faults.test.ts shows the stream erroring in the runtime).
 */
import { connect } from "node:net";
import { gunzipSync } from "node:zlib";
import { CreateDistributionCommand, CreateFunctionCommand, PublishFunctionCommand } from "@aws-sdk/client-cloudfront";
import { describe, expect, it } from "vitest";
import { useTestOrigins } from "./helpers/origins.js";
import { distributionConfig, present, ref } from "./helpers/sdk.js";
import { useWorker } from "./helpers/worker.js";

const t = useWorker();
const origins = useTestOrigins();
const CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6";
/** The managed AllViewer origin request policy: the query string (which picks the fault) reaches the origin. */
const ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3";

interface Seen {
  status: number;
  headers: Record<string, string>;
  /** The body bytes, de-chunked when chunked (latin1, one character a byte). */
  body: string;
  /** Chunked and its last chunk arrived. */
  lastChunk: boolean;
  /** How the connection ended: closed by the worker, or still open when we stopped waiting. */
  ended: "closed" | "open";
}

/**
 * One GET on a fresh connection, read until the worker closes it, or until `waitMs` passes or half a second after a
 * complete response (keep-alive: then "open").
 */
function rawGet(host: string, path: string, waitMs = 8000): Promise<Seen> {
  const port = Number(new URL(t.worker.url).port);
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    });
    let data = Buffer.alloc(0);
    let ended: Seen["ended"] = "closed";
    let timer = setTimeout(() => {
      ended = "open";
      socket.destroy();
    }, waitMs);
    socket.on("data", (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      // A complete response: half a second more to see whether the worker closes the connection after it.
      if (complete(data)) {
        clearTimeout(timer);
        timer = setTimeout(() => {
          ended = "open";
          socket.destroy();
        }, 500);
      }
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(parse(data, ended));
    });
  });
}

function split(data: Buffer): { head: string; rest: Buffer } | null {
  const end = data.indexOf("\r\n\r\n");
  return end < 0 ? null : { head: data.subarray(0, end).toString("latin1"), rest: data.subarray(end + 4) };
}

function headersOf(head: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of head.split("\r\n").slice(1)) {
    const at = line.indexOf(":");
    out[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  return out;
}

function dechunk(rest: Buffer): { body: string; lastChunk: boolean } {
  let body = "";
  let at = 0;
  for (;;) {
    const eol = rest.indexOf("\r\n", at);
    if (eol < 0) return { body, lastChunk: false };
    const size = Number.parseInt(rest.subarray(at, eol).toString("latin1"), 16);
    if (size === 0) return { body, lastChunk: true };
    body += rest.subarray(eol + 2, eol + 2 + size).toString("latin1");
    at = eol + 2 + size + 2;
  }
}

function complete(data: Buffer): boolean {
  const parts = split(data);
  if (parts === null) return false;
  const headers = headersOf(parts.head);
  if (headers["content-length"] !== undefined) return parts.rest.length >= Number(headers["content-length"]);
  return dechunk(parts.rest).lastChunk;
}

function parse(data: Buffer, ended: Seen["ended"]): Seen {
  const parts = split(data);
  if (parts === null) return { status: 0, headers: {}, body: "", lastChunk: false, ended };
  const headers = headersOf(parts.head);
  const status = Number(parts.head.split(" ")[1]);
  if (headers["transfer-encoding"] === "chunked") return { status, headers, ...dechunk(parts.rest), ended };
  return { status, headers, body: parts.rest.toString("latin1"), lastChunk: false, ended };
}

/**
 * A distribution in front of the faulty origin, read timeout 1 s; `cached`: its behaviour caches; `viewerResponse`:
 * the ARN of a function its behaviour runs on the viewer's response.
 */
async function faultyDistribution(cached: boolean, viewerResponse?: string): Promise<string> {
  const config = distributionConfig(ref("faults"), origins.ports.faulty);
  const origin = config.Origins?.Items?.[0];
  if (origin?.CustomOriginConfig !== undefined) origin.CustomOriginConfig.OriginReadTimeout = 1;
  const behavior = config.DefaultCacheBehavior;
  if (behavior !== undefined) {
    behavior.OriginRequestPolicyId = ALL_VIEWER;
    if (cached) behavior.CachePolicyId = CACHING_OPTIMIZED;
    if (viewerResponse !== undefined) {
      behavior.FunctionAssociations = {
        Quantity: 1,
        Items: [{ FunctionARN: viewerResponse, EventType: "viewer-response" }],
      };
    }
  }
  const created = await t.cf.send(new CreateDistributionCommand({ DistributionConfig: config }));
  return present(created.Distribution?.DomainName, "domain name");
}

let n = 0;
const path = (query: string) => `/e${++n}-${process.pid}?${query}`;

describe("origin faults as the viewer's connection sees them", () => {
  for (const cached of [false, true]) {
    for (const fault of ["cut", "reset", "stall"]) {
      it(`Content-Length body ${fault}${cached ? ", caching behaviour" : ""}: the connection breaks short`, async () => {
        const host = await faultyDistribution(cached);
        const p = path(`fault=${fault}&size=10000&sent=100&once=1`);
        const seen = await rawGet(host, p);
        expect(seen.status).toBe(200);
        expect(seen.headers["content-length"]).toBe("10000");
        expect(seen.body.length).toBeLessThan(10_000);
        expect(seen.ended).toBe("closed");
        const next = await rawGet(host, p);
        expect(next.body.length).toBe(10_000);
        expect(next.headers["x-request-count"]).toBe("2");
      });
    }

    for (const fault of ["cut", "reset", "stall"]) {
      it(`chunked body ${fault} after it began streaming${cached ? ", caching behaviour" : ""}: short, closed, not cached`, async () => {
        const host = await faultyDistribution(cached);
        const p = path(`framing=chunked&fault=${fault}&size=10000&sent=100&once=1`);
        const seen = await rawGet(host, p);
        expect(seen.status).toBe(200);
        expect(seen.body.length).toBeLessThan(10_000);
        expect(seen.ended).toBe("closed");
        const next = await rawGet(host, p);
        expect(next.body.length).toBe(10_000);
        expect(next.headers["x-request-count"]).toBe("2");
      });
    }
  }

  for (const [framing, size, gzip] of [
    ["length", 100_000, "1"],
    ["chunked", 100_000, "1"],
    ["length", 400_000, "store"],
  ] as const) {
    it(`a compressed ${framing} body (${framing === "length" && gzip !== "store" ? "read whole" : "streamed"}) reaches the viewer as sent, cached too`, async () => {
      const host = await faultyDistribution(true);
      const p = path(`framing=${framing}&size=${size}&gzip=${gzip}`);
      for (const expected of ["Miss from splitfront", "Hit from splitfront"]) {
        const seen = await rawGet(host, p);
        expect(seen.headers["x-cache"]).toBe(expected);
        expect(seen.headers["content-encoding"]).toBe("gzip");
        // Byte for byte what the origin sent: not decoded and compressed again, not compressed twice.
        expect(seen.body.length).toBe(Number(seen.headers["x-gzip-length"]));
        expect(gunzipSync(Buffer.from(seen.body, "latin1")).toString("latin1")).toBe("0123456789".repeat(size / 10));
      }
    });
  }

  it("a viewer-response function that keeps a compressed body sends it as it came, from the origin and the cache", async () => {
    const name = `keep-gzip-${process.pid % 10_000}`;
    const code =
      "function handler(event) { event.response.headers['x-fn'] = { value: 'ran' }; return event.response; }";
    const created = await t.cf.send(
      new CreateFunctionCommand({
        Name: name,
        FunctionConfig: { Comment: "", Runtime: "cloudfront-js-2.0" },
        FunctionCode: new TextEncoder().encode(code),
      }),
    );
    await t.cf.send(new PublishFunctionCommand({ Name: name, IfMatch: created.ETag }));
    const arn = present(created.FunctionSummary?.FunctionMetadata?.FunctionARN, "function ARN");
    const host = await faultyDistribution(true, arn);
    const p = path("size=10000&gzip=1");
    for (const expected of ["Miss from splitfront", "Hit from splitfront"]) {
      const seen = await rawGet(host, p);
      expect(seen.headers["x-fn"]).toBe("ran");
      expect(seen.headers["x-cache"]).toBe(expected);
      expect(seen.headers["content-encoding"]).toBe("gzip");
      expect(seen.body.length).toBe(Number(seen.headers["x-gzip-length"]));
      expect(gunzipSync(Buffer.from(seen.body, "latin1")).toString("latin1")).toBe("0123456789".repeat(1000));
    }
  });

  it("a whole body keeps the connection open for the next request (the checks above are not vacuous)", async () => {
    const host = await faultyDistribution(false);
    const seen = await rawGet(host, path("size=10000"));
    expect(seen.body.length).toBe(10_000);
    expect(seen.ended).toBe("open");
  });
});
