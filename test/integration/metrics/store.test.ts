/**
 * The MetricsStore Durable Object in workerd (real SQLite): a batch is applied once whatever the retries, rows
 * merge per minute, totals accumulate, and the alarm prunes minute rows past the retention window.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { emptyCounters, type MinuteRow } from "../../../src/domain/metrics/counters.js";
import { minuteOf } from "../../../src/domain/metrics/tally.js";
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
