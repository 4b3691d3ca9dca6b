/**
 * Publishing against real KV and the Durable Object's real SQLite storage, with a KV that fails on demand: a
 * failed publish leaves the state committed and asks for a retry; the retry makes KV match the state; hosts no
 * longer published are deleted; an unchanged state writes nothing.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { createDistribution, updateDistribution } from "../../../src/domain/distribution/operations.js";
import type { OpContext } from "../../../src/domain/state.js";
import { hostKey } from "../../../src/model/edge-config.js";
import type { ControlPlane } from "../../../src/store/control-plane.js";
import { idSource } from "../../../src/store/ids.js";
import { type KvWriter, Publisher, publishState } from "../../../src/store/publisher.js";
import { ControlStore } from "../../../src/store/sql.js";
import { config } from "../../unit/store/fixtures.js";

/** The real KV namespace, made to fail while `down` is set, counting the writes that reach it. */
class FlakyKv implements KvWriter {
  down = false;
  writes = 0;
  put(key: string, value: string): Promise<void> {
    if (this.down) return Promise.reject(new Error("KV unavailable"));
    this.writes++;
    return env.EDGE_CONFIG.put(key, value);
  }
  delete(key: string): Promise<void> {
    if (this.down) return Promise.reject(new Error("KV unavailable"));
    this.writes++;
    return env.EDGE_CONFIG.delete(key);
  }
}

const opContext = (store: ControlStore): OpContext => ({
  now: new Date().toISOString(),
  nextSeq: store.nextSeq(),
  ids: idSource(),
  domainSuffix: "publisher.localhost",
});

it("retries after a KV failure, deletes stale hosts, and skips unchanged records", async () => {
  const ns = env.CONTROL_PLANE as DurableObjectNamespace<ControlPlane>;
  const stub = ns.get(ns.idFromName("publisher-test"));
  await runInDurableObject(stub, async (_instance, state) => {
    const store = new ControlStore(state.storage);
    const kv = new FlakyKv();
    const failures: unknown[] = [];
    const publisher = new Publisher(store, kv, async (e) => {
      failures.push(e);
    });

    const ctx = opContext(store);
    const created = createDistribution(
      store.load(),
      config("pub-1", { Aliases: { Quantity: 1, Items: ["pub.example.test"] } }),
      ctx,
    );
    if (!created.ok) throw new Error(created.error.tag);
    store.apply(created.value.change, ctx.nextSeq);
    const host = created.value.record.domainName;

    kv.down = true;
    await publisher.publish();
    expect(failures).toHaveLength(1);
    expect(await env.EDGE_CONFIG.get(hostKey(host))).toBeNull();
    expect(store.load().distributions.map((d) => d.id)).toEqual([created.value.record.id]);
    // Status: nothing published covers the change yet (src/domain/distribution/status.ts).
    expect(publishState(store).asOf).toBe("");

    kv.down = false;
    await publisher.publish();
    // KV has it now, and the changes made while it failed count from this recovery.
    const kvState = publishState(store);
    expect(kvState.asOf >= ctx.now).toBe(true);
    expect(kvState.recovered?.at).toBeDefined();
    expect(await env.EDGE_CONFIG.get(hostKey(host), "json")).toMatchObject({ kind: "viewer", host });
    expect(await env.EDGE_CONFIG.get(hostKey("pub.example.test"), "json")).toMatchObject({ kind: "viewer" });

    const before = kv.writes;
    await publisher.publish();
    expect(kv.writes).toBe(before);

    // Dropping the alias: its key is deleted, the domain name's record rewritten.
    const current = created.value.record;
    const ctx2 = opContext(store);
    const updated = updateDistribution(
      store.load(),
      current.id,
      current.etag,
      { ...current.config, Aliases: { Quantity: 0 } },
      ctx2,
    );
    if (!updated.ok) throw new Error(updated.error.tag);
    store.apply(updated.value.change, ctx2.nextSeq);
    await publisher.publish();
    expect(await env.EDGE_CONFIG.get(hostKey("pub.example.test"))).toBeNull();
    expect(await env.EDGE_CONFIG.get(hostKey(host))).not.toBeNull();

    // After KV lost a record behind the control plane's back, forgetting what was published restores it.
    await env.EDGE_CONFIG.delete(hostKey(host));
    store.forgetPublished();
    await publisher.publish();
    expect(await env.EDGE_CONFIG.get(hostKey(host), "json")).toMatchObject({ kind: "viewer", host });
  });
});
