/**
 * The ControlPlane's SQLite repository against real Durable Object storage: records and history versions stored
 * before configs were normalised come back normalised, and a distribution's tags are deleted with it.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { createDistributionWithTags, deleteDistribution } from "../../../src/domain/distribution/operations.js";
import { distributionResource } from "../../../src/domain/tags.js";
import type { ControlPlane } from "../../../src/store/control-plane.js";
import { HistoryStore } from "../../../src/store/history-store.js";
import { idSource } from "../../../src/store/ids.js";
import { ControlStore } from "../../../src/store/sql.js";
import { config } from "../../unit/store/fixtures.js";

const stub = () => {
  const ns = env.CONTROL_PLANE as DurableObjectNamespace<ControlPlane>;
  return ns.get(ns.idFromName(`store-test-${crypto.randomUUID()}`));
};

it("normalises a config stored before normalisation when it is read", async () => {
  await runInDurableObject(stub(), async (_instance, state) => {
    const store = new ControlStore(state.storage);
    // A row as an earlier version wrote it: the config exactly as the client sent it.
    state.storage.sql.exec(
      `INSERT INTO distributions (id, seq, etag, domain_name, last_modified, config) VALUES (?, 1, 'E1', ?, ?, ?)`,
      "EOLD0000000001",
      "dold.example",
      "2026-01-01T00:00:00.000Z",
      JSON.stringify(config("old")),
    );
    const [d] = store.load().distributions;
    expect(d?.config).toMatchObject({
      Aliases: { Quantity: 0 },
      OriginGroups: { Quantity: 0 },
      IsIPV6Enabled: true,
      ContinuousDeploymentPolicyId: "",
      Staging: false,
      DefaultCacheBehavior: { Compress: false, MinTTL: 0, TrustedSigners: { Enabled: false, Quantity: 0 } },
    });
  });
});

it("normalises a history version stored before normalisation when it is read", async () => {
  await runInDurableObject(stub(), async (_instance, state) => {
    const history = new HistoryStore(state.storage.sql);
    // A version as the client sent it: no Staging, no ContinuousDeploymentPolicyId (which UpdateDistribution would
    // take as "keep the attachment" if a restore sent it so).
    state.storage.sql.exec(
      "INSERT INTO config_history (distribution_id, version, etag, at, cause, config) VALUES (?, 1, 'E1', ?, ?, ?)",
      "EOLD0000000002",
      "2026-01-01T00:00:00.000Z",
      JSON.stringify({ madeBy: "api", operation: "CreateDistribution" }),
      JSON.stringify(config("old-history")),
    );
    const expected = { ContinuousDeploymentPolicyId: "", Staging: false, OriginGroups: { Quantity: 0 } };
    expect(history.get("EOLD0000000002", 1)?.config).toMatchObject(expected);
    expect(history.list("EOLD0000000002")[0]?.config).toMatchObject(expected);
  });
});

it("deletes a distribution's tags with it", async () => {
  await runInDurableObject(stub(), async (_instance, state) => {
    const store = new ControlStore(state.storage);
    const ctx = {
      now: new Date().toISOString(),
      nextSeq: store.nextSeq(),
      ids: idSource(),
      domainSuffix: "store.localhost",
    };
    const created = createDistributionWithTags(
      store.load(),
      config("tagged", { Enabled: false }),
      [{ Key: "team", Value: "web" }],
      ctx,
    );
    if (!created.ok) throw new Error(created.error.tag);
    store.apply(created.value.change, ctx.nextSeq);
    const { id, etag } = created.value.record;
    expect(store.tagsOf(distributionResource(id))).toEqual([{ Key: "team", Value: "web" }]);
    const deleted = deleteDistribution(store.load(), id, etag);
    if (!deleted.ok) throw new Error(deleted.error.tag);
    store.apply(deleted.value, store.nextSeq());
    expect(store.tagsOf(distributionResource(id))).toEqual([]);
    expect(state.storage.sql.exec("SELECT COUNT(*) AS n FROM tags").one().n).toBe(0);
  });
});
