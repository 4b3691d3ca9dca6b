/**
 * The MetricsStore Durable Object in workerd (real SQLite): a batch is applied once whatever the retries, rows
 * merge per minute, totals accumulate, the rollout judge's arrivals partition the batches by arrival time, and the
 * alarm prunes minute rows past the retention window.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { emptyCounters, type MinuteRow } from "../../../src/domain/metrics/counters.js";
import { minuteOf } from "../../../src/domain/metrics/tally.js";
import { MetricsRepository } from "../../../src/store/metrics-sql.js";
import { storeOf, uniqueId } from "./support.js";

function row(
  minute: number,
  distributionId: string,
  requests: number,
  arm: "primary" | "staging" = "primary",
): MinuteRow {
  const c = emptyCounters();
  c.requests = requests;
  c.status[1] = requests;
  c.latency[10] = requests;
  c.latencySumMs = 12 * requests;
  return { minute, distributionId, arm, ...c };
}

describe("metrics store", () => {
  it("applies a batch once, merging its rows into the minute rows and the totals", async () => {
    const id = uniqueId("M");
    const store = storeOf(id);
    const now = minuteOf(Date.now());
    const batch = { id: "iso-1", shard: id, rows: [row(now, id, 3), row(now, "ESTAGING", 1, "staging")] };
    expect(await store.ingest(batch)).toEqual({ applied: true });
    expect(await store.ingest(batch)).toEqual({ applied: false });
    expect(await store.ingest({ id: "iso-2", shard: id, rows: [row(now, id, 4), row(now - 1, id, 5)] })).toEqual({
      applied: true,
    });
    const rows = await store.minutes(now - 10, now);
    expect(rows.map((r) => [r.minute - now, r.distributionId, r.arm, r.requests])).toEqual([
      // By minute, then distribution id ("EM..." sorts before "ESTAGING").
      [-1, id, "primary", 5],
      [0, id, "primary", 7],
      [0, "ESTAGING", "staging", 1],
    ]);
    expect(rows[1]?.latency[10]).toBe(7);
    expect(rows[1]?.latencySumMs).toBe(84);
    const totals = await store.totals();
    expect(totals.map((t) => [t.distributionId, t.arm, t.requests, t.status[1]])).toEqual([
      [id, "primary", 12, 12],
      ["ESTAGING", "staging", 1, 1],
    ]);
  });

  it("serves what arrived per arm by arrival time: each batch in exactly one window, once, with its 5xx and latency", async () => {
    const id = uniqueId("A");
    const now = minuteOf(Date.now());
    const failing = (minute: number, n: number): MinuteRow => {
      const r = row(minute, "ESTAGING", n, "staging");
      r.status = [0, 0, 0, 0, n];
      return r;
    };
    await runInDurableObject(storeOf(id), (_instance, state) => {
      const repo = new MetricsRepository(state.storage);
      const T = 1_000_000;
      // A batch spanning two minutes, both arms; a later one; a retry of the first (not applied again).
      expect(repo.ingest("b1", [row(now - 1, id, 2), row(now, id, 3), row(now, "ESTAGING", 1, "staging")], T)).toBe(
        true,
      );
      expect(repo.ingest("b2", [row(now, id, 4), failing(now, 2)], T + 500)).toBe(true);
      expect(repo.ingest("b1", [row(now, id, 3)], T + 900)).toBe(false);
      // Consecutive windows partition the batches; the bounds are half-open.
      expect(repo.arrived(id, "primary", T, T + 500)).toMatchObject({ requests: 5, s5xx: 0 });
      expect(repo.arrived(id, "primary", T + 500, T + 1000)).toMatchObject({ requests: 4, s5xx: 0 });
      expect(repo.arrived("ESTAGING", "staging", T, T + 1000)).toMatchObject({ requests: 3, s5xx: 2 });
      expect(repo.arrived(id, "primary", T + 1000, T + 2000)).toBeNull();
      // The staging distribution's rows are its own: not the primary's, and not under another arm.
      expect(repo.arrived("ESTAGING", "primary", T, T + 1000)).toBeNull();
      expect(repo.arrived(id, "primary", T, T + 1000)?.latency[10]).toBe(9);
      // Pruned with the batch ids.
      repo.prune(0, T + 100);
      expect(repo.arrived(id, "primary", T, T + 1000)).toMatchObject({ requests: 4 });
    });
  });

  it("prunes minute rows older than the retention with its alarm, and keeps the totals", async () => {
    const id = uniqueId("R");
    const store = storeOf(id);
    const now = minuteOf(Date.now());
    const week = 7 * 24 * 60;
    await store.ingest({
      id: "old-and-new",
      shard: id,
      rows: [row(now - week - 5, id, 2), row(now - week + 5, id, 3), row(now, id, 4)],
    });
    // The first batch armed the alarm.
    const alarm = await runInDurableObject(store, (_instance, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    expect(await runDurableObjectAlarm(store)).toBe(true);
    const left = await store.minutes(0, Number.MAX_SAFE_INTEGER);
    expect(left.map((r) => r.minute - now)).toEqual([-week + 5, 0]);
    expect((await store.totals())[0]?.requests).toBe(9);
    // Rows remain, so it prunes again later.
    expect(await runInDurableObject(store, (_instance, state) => state.storage.getAlarm())).not.toBeNull();
  });
});
