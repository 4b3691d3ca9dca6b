/**
 * Where the edge's configuration comes from: the in-isolate memo, the real KV namespace behind it, and what
 * happens when KV fails. The KV binding is the real one, wrapped to count reads and to fail on demand.
 */
import { env } from "cloudflare:test";
import fc from "fast-check";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import type { ConfigLookup } from "../../../src/edge/config-store.js";
import { lookupConfig } from "../../../src/edge/config-store.js";
import { handleViewerRequest } from "../../../src/edge/handler.js";
import { echo, publish, uniqueHost } from "../../support/worker/edge.js";
import { distribution, headerPolicy, viewerHost } from "../../support/worker/fixtures.js";

/** The primary's id of a lookup that answered at once (a promise here means the bound was not honoured). */
function primaryId(found: ConfigLookup | Promise<ConfigLookup>): string {
  if (found instanceof Promise) throw new Error("the lookup waited for KV");
  return found.status === "found" && found.config.kind === "viewer" ? found.config.primary.id : found.status;
}

/** The real KV binding, with a read counter and a switch that makes reads throw. */
function instrumentedKv(): { kv: KVNamespace; reads: () => number; fail: (on: boolean) => void } {
  let reads = 0;
  let failing = false;
  const kv = new Proxy(env.EDGE_CONFIG, {
    get(target, prop, receiver) {
      if (prop === "get") {
        return (...args: Parameters<KVNamespace["get"]>) => {
          reads++;
          if (failing) return Promise.reject(new Error("KV is down"));
          return target.get(...args);
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
  return { kv, reads: () => reads, fail: (on) => (failing = on) };
}

/** console.error, silenced and recorded: the failures below log on purpose, and the tests assert what they log. */
function capturedErrors(): () => string[] {
  const spy = vi.spyOn(console, "error").mockImplementation(() => {});
  return () => spy.mock.calls.map((args) => args.map(String).join(" "));
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("edge configuration", () => {
  it("reads KV once, then serves from the isolate memo while it is fresh", async () => {
    const host = uniqueHost("memo");
    await publish(viewerHost(host, distribution("EMEMO000000001", inject("origins").primary)));
    const { kv, reads } = instrumentedKv();
    const tasks: Promise<unknown>[] = [];
    const src = { kv, memoMs: 5000, kvCacheTtlS: 30, waitUntil: (p: Promise<unknown>) => tasks.push(p) };
    for (let t = 0; t < 100; t++) {
      expect((await lookupConfig(host, src, 1_000_000 + t * 10)).status).toBe("found");
    }
    expect(reads()).toBe(1);
    expect(tasks).toHaveLength(0);
  });

  it("from three quarters of the bound on, serves the record while one background refresh runs, then the new one", async () => {
    const host = uniqueHost("swr");
    const ports = inject("origins");
    await publish(viewerHost(host, distribution("EOLD0000000001", ports.primary)));
    const { kv, reads } = instrumentedKv();
    const tasks: Promise<unknown>[] = [];
    const src = { kv, memoMs: 5000, kvCacheTtlS: 30, waitUntil: (p: Promise<unknown>) => tasks.push(p) };
    await lookupConfig(host, src, 0);
    await publish(viewerHost(host, distribution("ENEW0000000001", ports.primary)));
    expect(primaryId(lookupConfig(host, src, 3749))).toBe("EOLD0000000001");
    expect(tasks).toHaveLength(0);
    // Three quarters of the bound: still answered at once (no promise), and one refresh starts in the background.
    expect(primaryId(lookupConfig(host, src, 3750))).toBe("EOLD0000000001");
    expect(primaryId(lookupConfig(host, src, 4999))).toBe("EOLD0000000001");
    expect(tasks).toHaveLength(1);
    await Promise.all(tasks);
    expect(primaryId(lookupConfig(host, src, 4999))).toBe("ENEW0000000001");
    expect(reads()).toBe(2);
  });

  it("never decides a request on a record older than the bound: past it, the request waits for KV", async () => {
    const host = uniqueHost("bound");
    const ports = inject("origins");
    const primary = distribution("EPRIMARY000001", ports.primary);
    const staging = distribution("ESTAGING000001", ports.staging);
    const policy = headerPolicy("aws-cf-cd-x", "1");
    await publish(viewerHost(host, primary, policy, staging));
    const { kv, reads } = instrumentedKv();
    const tasks: Promise<unknown>[] = [];
    const src = { kv, memoMs: 5000, kvCacheTtlS: 30, waitUntil: (p: Promise<unknown>) => tasks.push(p) };
    await lookupConfig(host, src, 1_000);
    // The emergency switch: the policy disabled. An isolate that sat idle since must not use what it memoised.
    await publish(viewerHost(host, primary, { ...policy, enabled: false }, staging));
    for (const at of [6_000, 66_000]) {
      const pending = lookupConfig(host, src, at);
      expect(pending).toBeInstanceOf(Promise);
      const found = await pending;
      expect(found.status === "found" && found.config.kind === "viewer" && found.config.policy?.enabled).toBe(false);
    }
    expect(tasks).toHaveLength(0);
    expect(reads()).toBe(3);
  });

  it("an emergency disable reaches every viewer request once the bound has passed, whatever the isolate memoised", async () => {
    const host = uniqueHost("disable");
    const ports = inject("origins");
    const primary = distribution("EPRIMARY000001", ports.primary);
    const staging = distribution("ESTAGING000001", ports.staging);
    const policy = headerPolicy("aws-cf-cd-x", "1");
    await publish(viewerHost(host, primary, policy, staging));
    const memo300 = { ...env, CONFIG_MEMO_MS: "300" };
    const ctx = { waitUntil: () => {} };
    const ask = async () =>
      (
        await echo(
          await handleViewerRequest(new Request(`http://${host}/`, { headers: { "aws-cf-cd-x": "1" } }), memo300, ctx),
        )
      ).origin;
    expect(await ask()).toBe("staging");
    await publish(viewerHost(host, primary, { ...policy, enabled: false }, staging));
    // Longer than the bound (real time: the handler reads the clock itself).
    await new Promise((resolve) => setTimeout(resolve, 350));
    const origins = [];
    for (let i = 0; i < 20; i++) origins.push(await ask());
    expect(origins).toEqual(Array(20).fill("primary"));
  });

  it("holds the bound for any sequence of requests and publishes (property, injected clock)", async () => {
    const ports = inject("origins");
    const MEMO = 1000;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ advance: fc.integer({ min: 0, max: 1500 }), publish: fc.boolean() }), {
          minLength: 1,
          maxLength: 12,
        }),
        async (steps) => {
          const host = uniqueHost("prop");
          const { kv } = instrumentedKv();
          const tasks: Promise<unknown>[] = [];
          const src = { kv, memoMs: MEMO, kvCacheTtlS: 30, waitUntil: (p: Promise<unknown>) => tasks.push(p) };
          /** [time, version] of each publish: KV is read-your-writes here, so this is what KV held when. */
          const published: [number, number][] = [];
          const put = async (at: number, version: number) => {
            await publish({ ...viewerHost(host, distribution("EPROP000000001", ports.primary)), version });
            published.push([at, version]);
          };
          let now = 0;
          await put(now, 1);
          for (const step of steps) {
            now += step.advance;
            // Background refreshes finish before the next event, as a busy isolate's would.
            await Promise.all(tasks.splice(0));
            if (step.publish) await put(now, (published.at(-1)?.[1] ?? 0) + 1);
            const found = await lookupConfig(host, src, now);
            if (found.status !== "found") throw new Error(`lookup ${found.status}`);
            // What KV held MEMO ago: the record that decides this request must be at least that new.
            const floor = published.filter(([at]) => at <= now - MEMO).at(-1)?.[1] ?? 1;
            expect(found.config.version).toBeGreaterThanOrEqual(floor);
          }
          await Promise.all(tasks);
        },
      ),
      { numRuns: 20, seed: 10 },
    );
  });

  it("two hosts in turn each get their own record, and a refreshed one is served once it has landed", async () => {
    const [a, b] = [uniqueHost("turn-a"), uniqueHost("turn-b")];
    const ports = inject("origins");
    await publish(viewerHost(a, distribution("EHOSTA00000001", ports.primary)));
    await publish(viewerHost(b, distribution("EHOSTB00000001", ports.primary)));
    const { kv, reads } = instrumentedKv();
    const tasks: Promise<unknown>[] = [];
    const src = { kv, memoMs: 5000, kvCacheTtlS: 30, waitUntil: (p: Promise<unknown>) => tasks.push(p) };
    await lookupConfig(a, src, 0);
    await lookupConfig(b, src, 0);
    for (let t = 1; t < 10; t++) {
      expect(primaryId(lookupConfig(a, src, t))).toBe("EHOSTA00000001");
      expect(primaryId(lookupConfig(a, src, t))).toBe("EHOSTA00000001");
      expect(primaryId(lookupConfig(b, src, t))).toBe("EHOSTB00000001");
    }
    // A's record changes; its background refresh lands while B was the last host asked, then while A was.
    await publish(viewerHost(a, distribution("EHOSTA00000002", ports.primary)));
    expect(primaryId(lookupConfig(a, src, 4000))).toBe("EHOSTA00000001");
    expect(primaryId(lookupConfig(b, src, 4000))).toBe("EHOSTB00000001");
    await Promise.all(tasks.splice(0));
    expect(primaryId(lookupConfig(a, src, 4001))).toBe("EHOSTA00000002");
    expect(primaryId(lookupConfig(b, src, 4001))).toBe("EHOSTB00000001");
    await publish(viewerHost(a, distribution("EHOSTA00000003", ports.primary)));
    expect(primaryId(lookupConfig(a, src, 7801))).toBe("EHOSTA00000002");
    await Promise.all(tasks.splice(0));
    expect(primaryId(lookupConfig(a, src, 7802))).toBe("EHOSTA00000003");
    // One read each at first, then A's two refreshes and B's one (B crossed three quarters of its bound at 4000).
    expect(reads()).toBe(5);
  });

  it("memoises unknown hosts too", async () => {
    const { kv, reads } = instrumentedKv();
    const src = { kv, memoMs: 5000, kvCacheTtlS: 30, waitUntil: () => {} };
    const host = uniqueHost("junk");
    for (let t = 0; t < 10; t++) expect((await lookupConfig(host, src, t)).status).toBe("unknown");
    expect(reads()).toBe(1);
  });

  it("keeps serving the last good record past the bound while KV fails, logs, and retries after half a bound", async () => {
    const host = uniqueHost("kvfail");
    await publish(viewerHost(host, distribution("EKVFAIL0000001", inject("origins").primary)));
    const { kv, reads, fail } = instrumentedKv();
    const src = { kv, memoMs: 5000, kvCacheTtlS: 30, waitUntil: () => {} };
    await lookupConfig(host, src, 0);
    fail(true);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      expect(primaryId(await lookupConfig(host, src, 6_000))).toBe("EKVFAIL0000001");
      expect(errors).toHaveBeenCalledTimes(1);
      expect(String(errors.mock.calls[0]?.[0])).toContain('"servingRecordAgeMs":6000');
      expect(primaryId(await lookupConfig(host, src, 8_499))).toBe("EKVFAIL0000001");
      expect(reads()).toBe(2);
      fail(false);
      await publish(viewerHost(host, distribution("EKVBACK0000001", inject("origins").primary)));
      expect(primaryId(await lookupConfig(host, src, 8_500))).toBe("EKVBACK0000001");
      expect(reads()).toBe(3);
    } finally {
      errors.mockRestore();
    }
  });

  it("keeps serving the last good record when KV fails", async () => {
    const host = uniqueHost("kvdown");
    await publish(viewerHost(host, distribution("EKVDOWN0000001", inject("origins").primary)));
    const { kv, fail } = instrumentedKv();
    const errors = capturedErrors();
    const broken = { ...env, EDGE_CONFIG: kv, CONFIG_MEMO_MS: "0" };
    const ctx = { waitUntil: () => {} };
    expect((await echo(await handleViewerRequest(new Request(`http://${host}/`), broken, ctx))).origin).toBe("primary");
    fail(true);
    const during = await handleViewerRequest(new Request(`http://${host}/`), broken, ctx);
    expect(during.status).toBe(200);
    expect((await echo(during)).origin).toBe("primary");
    expect(errors().map((line) => JSON.parse(line))).toEqual([
      { msg: "edge config read failed", host, servingRecordAgeMs: expect.any(Number), error: "Error: KV is down" },
    ]);
  });

  it("answers 503 with Retry-After when KV fails and there is no earlier record", async () => {
    const { kv, fail } = instrumentedKv();
    const errors = capturedErrors();
    fail(true);
    const host = uniqueHost("cold");
    const response = await handleViewerRequest(
      new Request(`http://${host}/`),
      { ...env, EDGE_CONFIG: kv },
      { waitUntil: () => {} },
    );
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(await response.text()).not.toContain("KV is down");
    expect(errors()).toEqual([
      JSON.stringify({ msg: "edge config read failed", host, servingRecordAgeMs: null, error: "Error: KV is down" }),
    ]);
  });
});
