/**
 * Where the edge's configuration comes from: the in-isolate memo, the real KV namespace behind it, and what
 * happens when KV fails. The KV binding is the real one, wrapped to count reads and to fail on demand.
 */
import { env } from "cloudflare:test";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { lookupConfig } from "../../../src/edge/config-store.js";
import { handleViewerRequest } from "../../../src/edge/handler.js";
import { echo, publish, uniqueHost } from "../../support/worker/edge.js";
import { distribution, viewerHost } from "../../support/worker/fixtures.js";

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

  it("serves the stale record while one background refresh runs, then the new one", async () => {
    const host = uniqueHost("swr");
    const ports = inject("origins");
    await publish(viewerHost(host, distribution("EOLD0000000001", ports.primary)));
    const { kv, reads } = instrumentedKv();
    const tasks: Promise<unknown>[] = [];
    const src = { kv, memoMs: 5000, kvCacheTtlS: 30, waitUntil: (p: Promise<unknown>) => tasks.push(p) };
    await lookupConfig(host, src, 0);
    await publish(viewerHost(host, distribution("ENEW0000000001", ports.primary)));
    const stale = await lookupConfig(host, src, 6000);
    const again = await lookupConfig(host, src, 6001);
    expect(stale.status === "found" && stale.config.kind === "viewer" && stale.config.primary.id).toBe(
      "EOLD0000000001",
    );
    expect(again.status === "found" && again.config.kind === "viewer" && again.config.primary.id).toBe(
      "EOLD0000000001",
    );
    expect(tasks).toHaveLength(1);
    await Promise.all(tasks);
    const fresh = await lookupConfig(host, src, 6002);
    expect(fresh.status === "found" && fresh.config.kind === "viewer" && fresh.config.primary.id).toBe(
      "ENEW0000000001",
    );
    expect(reads()).toBe(2);
  });

  it("memoises unknown hosts too", async () => {
    const { kv, reads } = instrumentedKv();
    const src = { kv, memoMs: 5000, kvCacheTtlS: 30, waitUntil: () => {} };
    const host = uniqueHost("junk");
    for (let t = 0; t < 10; t++) expect((await lookupConfig(host, src, t)).status).toBe("unknown");
    expect(reads()).toBe(1);
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
    expect(errors()).toEqual([JSON.stringify({ msg: "edge config read failed", host, error: "Error: KV is down" })]);
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
    expect(errors()).toEqual([JSON.stringify({ msg: "edge config read failed", host, error: "Error: KV is down" })]);
  });
});
