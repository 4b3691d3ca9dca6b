/**
 * Per-arm telemetry through the real worker, with real loopback origins, the real Cache API and the real
 * MetricsStore Durable Object: after the flush bound, the store holds exactly what the viewers received, per arm;
 * a flush happens when traffic stops; a failed flush loses nothing (retried, or counted as dropped).
 */
import { createExecutionContext, env } from "cloudflare:test";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { sampleCount } from "../../../src/domain/metrics/histogram.js";
import worker from "../../../src/index.js";
import type { EdgeDistribution } from "../../../src/model/edge-config.js";
import type { MetricsStore } from "../../../src/store/metrics-store.js";
import { publish, uniqueHost } from "../../support/worker/edge.js";
import { behavior, distribution, headerPolicy, origin, viewerHost } from "../../support/worker/fixtures.js";
import { asSeen, metricsEnv, seenBy, stored, storeOf, uniqueId, Viewers } from "./support.js";

const TO_STAGING = { "aws-cf-cd-test": "blue" };
const POLICY = headerPolicy("aws-cf-cd-test", "blue");

async function pair(
  label: string,
  tweak: { primary?: Partial<EdgeDistribution>; staging?: Partial<EdgeDistribution> } = {},
): Promise<{ host: string; primary: EdgeDistribution; staging: EdgeDistribution }> {
  const ports = inject("origins");
  const host = uniqueHost(label);
  const primary = distribution(uniqueId("P"), ports.primary, tweak.primary);
  const staging = distribution(uniqueId("S"), ports.staging, tweak.staging);
  await publish(viewerHost(host, primary, POLICY, staging));
  return { host, primary, staging };
}

interface Outage {
  on: boolean;
  afterApply: boolean;
  calls: number;
  /** The outage ends by itself after this many failed calls. */
  failCalls?: number;
}

/** A namespace whose stubs fail `ingest` while `outage.on`, optionally after the store has applied the batch. */
function failing(outage: Outage): DurableObjectNamespace<MetricsStore> {
  const real = env.METRICS;
  return {
    idFromName: (name: string) => real.idFromName(name),
    get: (id: DurableObjectId) => {
      const stub = real.get(id);
      return {
        ingest: async (batch: Parameters<DurableObjectStub<MetricsStore>["ingest"]>[0]) => {
          outage.calls++;
          if (outage.failCalls !== undefined && outage.calls > outage.failCalls) outage.on = false;
          if (!outage.on) return stub.ingest(batch);
          if (outage.afterApply) await stub.ingest(batch);
          throw new Error("simulated metrics store outage");
        },
      };
    },
  } as unknown as DurableObjectNamespace<MetricsStore>;
}

/**
 * Takes over console.error until done(), which returns the first argument of each call: the failures these tests
 * cause on purpose are asserted rather than printed.
 */
function errorLog(): { done(): string[] } {
  const spy = vi.spyOn(console, "error").mockImplementation(() => undefined);
  return {
    done() {
      const messages = spy.mock.calls.map((args) => String(args[0]));
      spy.mockRestore();
      return messages;
    },
  };
}

/** An Analytics Engine dataset that keeps what is written to it (Miniflare's local one keeps nothing). */
function recordingDataset(): { points: AnalyticsEngineDataPoint[]; dataset: AnalyticsEngineDataset } {
  const points: AnalyticsEngineDataPoint[] = [];
  return { points, dataset: { writeDataPoint: (p) => void (p !== undefined && points.push(p)) } };
}

describe("per-arm telemetry at the edge", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("after the flush bound, each arm's counts equal what its viewers received", async () => {
    const { host, primary, staging } = await pair("split");
    const viewers = new Viewers(metricsEnv(1));
    for (let i = 0; i < 60; i++) {
      // Every fifth viewer to staging; 5 and 6 are coprime, so both arms get every kind of path.
      const headers = i % 5 === 0 ? TO_STAGING : {};
      const path = [
        "/hot?hop=0",
        `/miss-${i}`,
        `/e-${i}?status=404`,
        `/e-${i}?status=503`,
        `/private-${i}?cc=no-store`,
        "/moved?status=302&location=/elsewhere",
      ][i % 6];
      await viewers.send(host, path, { headers });
    }
    await viewers.settle();

    const received = viewers.received;
    expect(new Set(received.map((r) => r.arm))).toEqual(new Set(["primary", "staging"]));
    for (const [dist, arm] of [
      [primary, "primary"],
      [staging, "staging"],
    ] as const) {
      const seen = seenBy(received, arm);
      const counted = await stored(primary.id, dist.id, arm);
      expect(asSeen(counted)).toEqual(seen);
      // Every response here came from the origin except the cache's hits.
      expect(sampleCount(counted.latency)).toBe(seen.requests - seen.cacheHits);
      expect(counted.edgeErrors).toBe(0);
      expect(counted.dropped).toBe(0);
    }
    // The mix really had hits and misses, 2xx, 3xx, 4xx and 5xx on both arms.
    for (const arm of ["primary", "staging"]) {
      const seen = seenBy(received, arm);
      expect(seen.cacheHits, arm).toBeGreaterThan(0);
      expect(seen.cacheMisses, arm).toBeGreaterThan(0);
      expect(
        seen.status.slice(1).every((n) => n > 0),
        arm,
      ).toBe(true);
    }
  });

  it("counts the edge's own answers as edge errors, without an origin latency, and redirects as 3xx", async () => {
    const ports = inject("origins");
    const { host, primary, staging } = await pair("edgeerr", {
      // Primary: nothing listens on its origin (502). Staging: its origin answers after 3 s, its timeout is 0.3 s.
      primary: { origins: { origin: origin({ id: "origin", httpPort: ports.down, connectionAttempts: 1 }) } },
      staging: {
        origins: { origin: origin({ id: "origin", httpPort: ports.slow, readTimeoutMs: 300 }) },
        behaviors: [behavior({ pathPattern: "/secure/*", viewerProtocolPolicy: "redirect-to-https" })],
      },
    });
    const viewers = new Viewers(metricsEnv(1));
    for (let i = 0; i < 4; i++) await viewers.send(host, `/p-${i}`);
    for (let i = 0; i < 3; i++) await viewers.send(host, `/s-${i}`, { headers: TO_STAGING });
    for (let i = 0; i < 2; i++) await viewers.send(host, `/secure/${i}`, { headers: TO_STAGING });
    await viewers.settle();

    expect(viewers.received.map((r) => r.status)).toEqual([502, 502, 502, 502, 504, 504, 504, 301, 301]);
    const p = await stored(primary.id, primary.id, "primary");
    expect(asSeen(p)).toEqual(seenBy(viewers.received, "primary"));
    expect(p.edgeErrors).toBe(4);
    expect(sampleCount(p.latency)).toBe(0);
    const s = await stored(primary.id, staging.id, "staging");
    expect(asSeen(s)).toEqual(seenBy(viewers.received, "staging"));
    expect(s.edgeErrors).toBe(3);
    expect(s.status).toEqual([0, 0, 2, 0, 3]);
    expect(sampleCount(s.latency)).toBe(0);
  });

  it("counts a failure contained after routing, and an origin body broken off, as edge errors", async () => {
    const ports = inject("origins");
    const { host, primary, staging } = await pair("contained", {
      // Primary: its behaviour names an origin the record lacks (the edge's 502 page, contained). Staging: an origin
      // whose 10,000-byte body stops after 100 bytes, through a behaviour that never caches.
      primary: { defaultBehavior: behavior({ targetOriginId: "nowhere" }) },
      staging: {
        origins: { origin: origin({ id: "origin", httpPort: ports.faulty, readTimeoutMs: 2000 }) },
        defaultBehavior: behavior({ maxTTL: 0, defaultTTL: 0 }),
      },
    });
    const log = errorLog();
    const e = metricsEnv(1);
    const viewers = new Viewers(e);
    for (let i = 0; i < 2; i++) expect((await viewers.send(host, `/contained-${i}`)).status).toBe(502);
    for (let i = 0; i < 3; i++) {
      const ctx = createExecutionContext();
      viewers.contexts.push(ctx);
      const path = `/cut-${i}?fault=cut&size=10000&sent=100`;
      const response = await worker.fetch(new Request(`http://${host}${path}`, { headers: TO_STAGING }), e, ctx);
      // The origin's status and Content-Length, then a body that breaks off.
      expect(response.status).toBe(200);
      expect(response.headers.get("content-length")).toBe("10000");
      await expect(response.text()).rejects.toThrow();
    }
    await viewers.settle();

    const p = await stored(primary.id, primary.id, "primary");
    expect(p.requests).toBe(2);
    expect(p.status).toEqual([0, 0, 0, 0, 2]);
    expect(p.edgeErrors).toBe(2);
    expect(sampleCount(p.latency)).toBe(0);
    const s = await stored(primary.id, staging.id, "staging");
    expect(s.requests).toBe(3);
    expect(s.status).toEqual([0, 3, 0, 0, 0]);
    expect(s.edgeErrors).toBe(3);
    // None of the 10,000 bytes its Content-Length promised reached a viewer.
    expect(s.bytes).toBe(0);
    // Each failure was logged once: the contained ones with their error, the cut bodies as cut.
    const messages = log.done();
    expect(messages.filter((m) => m.includes('"msg":"viewer request failed"'))).toHaveLength(2);
    expect(messages.filter((m) => m.includes('"msg":"origin body cut short"'))).toHaveLength(3);
  });

  it("writes nothing per request, and flushes by itself once traffic stops", async () => {
    const { host, primary } = await pair("final");
    const outage: Outage = { on: false, afterApply: false, calls: 0 };
    // A 5 s interval: far longer than five requests take, however loaded the machine.
    const viewers = new Viewers(metricsEnv(5, { METRICS: failing(outage) }));
    for (let i = 0; i < 5; i++) await viewers.send(host, `/final-${i}?cc=no-store`);
    // The responses are out; no request has touched the store (the flush waits for its timer).
    expect(outage.calls).toBe(0);
    expect((await stored(primary.id, primary.id, "primary")).requests).toBe(0);
    // No further request: the timer the first request left in waitUntil flushes all five.
    await viewers.settle();
    expect(outage.calls).toBe(1);
    expect((await stored(primary.id, primary.id, "primary")).requests).toBe(5);
  });

  for (const afterApply of [false, true]) {
    it(`retries a failed flush with the same batch, counting once (${afterApply ? "the answer was lost" : "the store was down"})`, async () => {
      const { host, primary } = await pair(afterApply ? "lost" : "down");
      // The first flush fails; the store is back for the retry, one interval later.
      const outage: Outage = { on: true, afterApply, calls: 0, failCalls: 1 };
      const logged = errorLog();
      const viewers = new Viewers(metricsEnv(1, { METRICS: failing(outage) }));
      for (let i = 0; i < 7; i++) await viewers.send(host, `/r-${i}?cc=no-store`);
      await viewers.settle();
      // Not silently: the failure is logged, with what was at stake.
      expect(logged.done()).toContainEqual(
        expect.stringMatching(
          new RegExp(`^metrics: flush of \\d+ requests to shard ${primary.id} failed \\(attempt 1\\); kept`),
        ),
      );
      // Two calls, or three if a request after the first flush scheduled one of its own.
      expect(outage.calls).toBeGreaterThanOrEqual(2);
      const counted = await stored(primary.id, primary.id, "primary");
      expect(counted.requests).toBe(7);
      expect(counted.dropped).toBe(0);
    });
  }

  it("past its outbox's limit an isolate keeps the count of what it could not send, as dropped", async () => {
    // 34 primaries with one request each: 34 batches (one per shard) in one flush, two more than the outbox keeps.
    const ports = inject("origins");
    const sites = await Promise.all(
      Array.from({ length: 34 }, async () => {
        const host = uniqueHost("drop");
        const primary = distribution(uniqueId("D"), ports.primary);
        await publish(viewerHost(host, primary));
        return { host, primary };
      }),
    );
    const outage: Outage = { on: true, afterApply: false, calls: 0 };
    const logged = errorLog();
    const down = new Viewers(metricsEnv(1, { METRICS: failing(outage) }));
    for (const site of sites) await down.send(site.host, "/?cc=no-store");
    // Every flush fails; the oldest batches beyond the limit are folded into dropped counts, and say so.
    await down.settle();
    expect(outage.calls).toBeGreaterThanOrEqual(34);
    expect(
      logged.done().filter((m) => /^metrics: 1 requests' details dropped for shard \w+; their count goes on$/.test(m))
        .length,
    ).toBeGreaterThanOrEqual(2);

    // The store is back: the next request's flush carries the outbox and the dropped counts.
    outage.on = false;
    const up = new Viewers(metricsEnv(1, { METRICS: failing(outage) }));
    const first = sites[0];
    if (first === undefined) throw new Error("no site");
    await up.send(first.host, "/?cc=no-store");
    await up.settle();

    let requests = 0;
    let dropped = 0;
    for (const site of sites) {
      const c = await stored(site.primary.id, site.primary.id, "primary");
      requests += c.requests;
      dropped += c.dropped;
    }
    expect(requests + dropped).toBe(35);
    expect(dropped).toBeGreaterThanOrEqual(2);
    expect(requests).toBeGreaterThanOrEqual(33 - dropped);
  });

  it("writes one Analytics Engine data point per request where a dataset is bound as METRICS_AE", async () => {
    const ports = inject("origins");
    const { host, primary, staging } = await pair("ae", {
      primary: { origins: { origin: origin({ id: "origin", httpPort: ports.down, connectionAttempts: 1 }) } },
    });
    const { points, dataset } = recordingDataset();
    const viewers = new Viewers(metricsEnv(1, { METRICS_AE: dataset }));
    await viewers.send(host, "/ae?cc=no-store");
    await viewers.send(host, "/ae?cc=no-store", { headers: TO_STAGING });
    await viewers.send(host, "/ae-hot?hop=0", { headers: TO_STAGING });
    await viewers.send(host, "/ae-hot?hop=0", { headers: TO_STAGING });
    await viewers.settle();
    expect(viewers.received.map((r) => [r.status, r.xCache])).toEqual([
      [502, "Error from splitfront"],
      [200, "Miss from splitfront"],
      [200, "Miss from splitfront"],
      [200, "Hit from splitfront"],
    ]);
    expect(points).toHaveLength(4);
    // Within Analytics Engine's limits (developers.cloudflare.com/analytics/analytics-engine/limits): one index of
    // at most 96 bytes, at most 20 blobs of at most 16 KB together, at most 20 doubles; the local dataset
    // (Miniflare's) accepts anything and keeps nothing, hence the recording one here.
    const bytes = (v: string) => new TextEncoder().encode(v).length;
    for (const p of points) {
      expect(p.indexes).toHaveLength(1);
      expect(bytes(String(p.indexes?.[0]))).toBeLessThanOrEqual(96);
      expect(p.blobs?.length).toBeLessThanOrEqual(20);
      expect((p.blobs ?? []).reduce((n: number, b) => n + bytes(String(b)), 0)).toBeLessThanOrEqual(16 * 1024);
      expect(p.doubles?.length).toBeLessThanOrEqual(20);
      expect(p.doubles?.every((d) => Number.isFinite(d))).toBe(true);
    }
    expect(points[0]).toMatchObject({
      indexes: [primary.id],
      blobs: [primary.id, "primary", primary.id, "Error", "origin-unreachable"],
    });
    expect(points[0]?.doubles?.[0]).toBe(502);
    expect(points[0]?.doubles?.[2]).toBe(-1);
    expect(points[1]).toMatchObject({ indexes: [staging.id], blobs: [staging.id, "staging", primary.id, "Miss", ""] });
    expect(points[1]?.doubles?.[0]).toBe(200);
    expect(points[1]?.doubles?.[2]).toBeGreaterThanOrEqual(0);
    expect(points[2]).toMatchObject({ blobs: [staging.id, "staging", primary.id, "Miss", ""] });
    expect(points[2]?.doubles?.[2]).toBeGreaterThanOrEqual(0);
    // A hit: the origin was not asked.
    expect(points[3]).toMatchObject({ blobs: [staging.id, "staging", primary.id, "Hit", ""] });
    expect(points[3]?.doubles?.slice(0, 3)).toEqual([200, points[2]?.doubles?.[1], -1]);
  });

  it("counts nothing, and writes no Analytics Engine data point, with METRICS_FLUSH_S=0", async () => {
    const { host, primary } = await pair("off");
    const { points, dataset } = recordingDataset();
    const viewers = new Viewers(metricsEnv(0, { METRICS_AE: dataset }));
    await viewers.send(host, "/?cc=no-store");
    await viewers.settle();
    const rows = await storeOf(primary.id).minutes(0, Number.MAX_SAFE_INTEGER);
    expect(rows).toEqual([]);
    expect(points).toEqual([]);
  });
});
