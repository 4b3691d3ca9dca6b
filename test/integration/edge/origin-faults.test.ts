/**
 * Origin faults through the real worker and real loopback origins (test/support/node/faulty-origin.ts): a body cut
 * or reset midway, or stalling past the read timeout, in both framings, through a behaviour that never caches and
 * through one that does. The viewer never gets such a body as complete (here: reading it fails, the in-runtime view
 * of a broken connection; test/e2e/origin-faults.test.ts looks at the socket), nothing cut is cached, and a body
 * that keeps arriving within the read timeout between packets is delivered whole however long it takes overall.
 */
import { afterEach, beforeEach, describe, expect, inject, it, type MockInstance, vi } from "vitest";
import { BUFFERED_BODY_BYTES } from "../../../src/edge/origin-body.js";
import { publish, uniqueHost, viewerRead } from "../../support/worker/edge.js";
import { behavior, distribution, origin, viewerHost } from "../../support/worker/fixtures.js";

const READ_TIMEOUT_MS = 400;

let errors: MockInstance<typeof console.error>;
beforeEach(() => {
  errors = vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(() => {
  errors.mockRestore();
});

const logged = () => errors.mock.calls.map((call) => String(call[0]));

/** The faulty origin's body of `size` bytes: the digits repeated. */
const digits = (size: number) => "0123456789".repeat(Math.ceil(size / 10)).slice(0, size);

/** A host whose one origin is the faulty one, with a short read timeout; `cached`: its behaviour may cache. */
async function faultyHost(cached: boolean): Promise<string> {
  const port = inject("origins").faulty;
  const host = uniqueHost(cached ? "faultcached" : "fault");
  await publish(
    viewerHost(
      host,
      distribution("EFAULTY0000001", port, {
        origins: { origin: origin({ id: "origin", httpPort: port, readTimeoutMs: READ_TIMEOUT_MS }) },
        defaultBehavior: behavior(cached ? {} : { maxTTL: 0, defaultTTL: 0 }),
      }),
    ),
  );
  return host;
}

let n = 0;
/** A path no other request used (the origin counts requests per URL, and the cache keys on it). */
const fresh = (query: string) => `/f${++n}-${Math.random().toString(36).slice(2, 8)}?${query}`;

const FAULTS = [
  ["cut", "origin body cut short"],
  ["reset", "origin body cut short"],
  ["stall", "origin body stalled"],
] as const;

for (const cached of [false, true]) {
  describe(`origin faults, ${cached ? "through a caching behaviour" : "through a behaviour that never caches"}`, () => {
    for (const framing of ["length", "chunked"] as const) {
      for (const [fault, message] of FAULTS) {
        it(`a ${framing} body that is ${fault === "stall" ? "stalled" : fault} midway never arrives complete`, async () => {
          const host = await faultyHost(cached);
          const path = fresh(`framing=${framing}&fault=${fault}&size=10000&sent=100&once=1`);
          const first = await viewerRead(host, path);
          expect(first.status).toBe(200);
          expect(first.body).toBeNull();
          expect(logged().filter((line) => line.includes(message))).toHaveLength(1);
          // Nothing cut was stored: the next viewer is served by the origin (now whole), and only then from cache.
          const second = await viewerRead(host, path);
          expect(second.body).toBe(digits(10_000));
          expect(second.headers.get("x-request-count")).toBe("2");
          if (cached) {
            expect(second.headers.get("x-cache")).toBe("Miss from splitfront");
            const third = await viewerRead(host, path);
            expect(third.headers.get("x-cache")).toBe("Hit from splitfront");
            expect(third.body).toBe(digits(10_000));
          }
        });
      }
    }

    it("a large streamed body (Content-Length over the buffered size) cut midway never arrives complete", async () => {
      const host = await faultyHost(cached);
      const size = BUFFERED_BODY_BYTES * 2;
      const path = fresh(`fault=cut&size=${size}&sent=${BUFFERED_BODY_BYTES}&chunk=65536&once=1`);
      expect((await viewerRead(host, path)).body).toBeNull();
      const second = await viewerRead(host, path);
      expect(second.body?.length).toBe(size);
      expect(second.headers.get("x-request-count")).toBe("2");
    });

    for (const [framing, size] of [
      ["chunked", 3000],
      ["length", BUFFERED_BODY_BYTES * 2],
    ] as const) {
      it(`a ${framing} body streamed in pieces, each within the read timeout, arrives whole however long it takes`, async () => {
        const host = await faultyHost(cached);
        // Five pieces 150 ms apart: 600 ms in all, longer than the 400 ms timeout, never idle that long.
        const path = fresh(`framing=${framing}&size=${size}&chunk=${Math.ceil(size / 5)}&gap=150`);
        const read = await viewerRead(host, path);
        expect(read.body).toBe(digits(size));
        expect(logged()).toEqual([]);
      });
    }

    it("a body read whole gets the read timeout from its headers: late headers, then a body within the timeout", async () => {
      const host = await faultyHost(cached);
      // Headers 300 ms after the request, the body in two pieces 200 ms apart: whole 500 ms after the request (past
      // the header timer), 200 ms after its headers.
      const path = fresh(`size=10000&chunk=5000&gap=200&wait=300`);
      const read = await viewerRead(host, path);
      expect(read.body).toBe(digits(10_000));
      expect(logged()).toEqual([]);
    });

    it("a body read whole that stalls after late headers is cut at the read timeout from its headers", async () => {
      const host = await faultyHost(cached);
      const started = Date.now();
      const read = await viewerRead(host, fresh(`fault=stall&size=10000&sent=100&wait=300&once=1`));
      expect(read.body).toBeNull();
      // Not at 400 ms from the request (the header timer), but 400 ms from the headers.
      expect(Date.now() - started).toBeGreaterThanOrEqual(300 + READ_TIMEOUT_MS - 50);
      expect(logged().filter((line) => line.includes("origin body stalled"))).toHaveLength(1);
    });

    it("an error response whose body is cut still gets the distribution's custom error page", async () => {
      const port = inject("origins").faulty;
      const host = uniqueHost("faultpage");
      await publish(
        viewerHost(
          host,
          distribution("EFAULTPAGE0001", port, {
            origins: { origin: origin({ id: "origin", httpPort: port, readTimeoutMs: READ_TIMEOUT_MS }) },
            defaultBehavior: behavior(cached ? {} : { maxTTL: 0, defaultTTL: 0 }),
            customErrorResponses: [
              { errorCode: 503, responsePagePath: "/sorry", responseCode: 503, errorCachingMinTTL: 0 },
            ],
          }),
        ),
      );
      const read = await viewerRead(host, fresh("status=503&fault=cut&size=10000&sent=100"));
      expect(read.status).toBe(503);
      // The page (/sorry on the same origin, whole) replaces the cut body.
      expect(read.body).toBe(digits(10_000));
    });

    it("an origin that refuses the connection: 502", async () => {
      const ports = inject("origins");
      const host = uniqueHost("refused");
      await publish(
        viewerHost(
          host,
          distribution("EREFUSED000001", ports.down, {
            origins: { origin: origin({ id: "origin", httpPort: ports.down, connectionAttempts: 1 }) },
            defaultBehavior: behavior(cached ? {} : { maxTTL: 0, defaultTTL: 0 }),
          }),
        ),
      );
      const read = await viewerRead(host, "/refused");
      expect(read.status).toBe(502);
      expect(read.body).toContain("could not be reached");
    });
  });
}
