/**
 * The isolate's tally and the merge of its rows: every response counted lands in exactly one taken row, merging
 * is associative and order-free, and nothing is counted twice across takes (flushes).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Counters,
  emptyCounters,
  type MinuteRow,
  mergeRows,
  mergeTotals,
  sumCounters,
} from "../../../../src/domain/metrics/counters.js";
import { bucketOf } from "../../../../src/domain/metrics/histogram.js";
import { Outbox } from "../../../../src/domain/metrics/outbox.js";
import {
  CACHE_HIT,
  CACHE_MISS,
  CACHE_NONE,
  type CacheOutcome,
  countResponse,
  MINUTE_MS,
  minuteOf,
  Tally,
} from "../../../../src/domain/metrics/tally.js";
import type { Arm } from "../../../../src/model/edge-config.js";

interface Observation {
  atMs: number;
  shard: string;
  distributionId: string;
  arm: Arm;
  status: number;
  cache: CacheOutcome;
  edgeError: boolean;
  bytes: number;
  latencyMs: number;
}

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);

const observation: fc.Arbitrary<Observation> = fc
  .record({
    offset: fc.integer({ min: 0, max: 5 * MINUTE_MS }),
    pair: fc.constantFrom(
      { shard: "EPRIMARY1", distributionId: "EPRIMARY1", arm: "primary" as const },
      { shard: "EPRIMARY1", distributionId: "ESTAGING1", arm: "staging" as const },
      { shard: "EPRIMARY2", distributionId: "EPRIMARY2", arm: "primary" as const },
      // One staging distribution serving two primaries: two shards, one distribution id.
      { shard: "EPRIMARY2", distributionId: "ESTAGING1", arm: "staging" as const },
    ),
    status: fc.constantFrom(101, 200, 204, 301, 304, 403, 404, 500, 502, 504),
    cache: fc.constantFrom<CacheOutcome>(CACHE_NONE, CACHE_HIT, CACHE_MISS),
    edgeError: fc.boolean(),
    bytes: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 100_000 })),
    latencyMs: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 70_000 })),
  })
  .map(({ offset, pair, ...rest }) => ({ atMs: T0 + offset, ...pair, ...rest }));

function count(tally: Tally, o: Observation): void {
  const c = tally.slot(minuteOf(o.atMs), o.shard, o.distributionId, o.arm);
  countResponse(c, o.status, o.cache, o.edgeError, o.bytes, o.latencyMs);
}

/** What the observations add up to for one key, computed directly. */
function expected(list: readonly Observation[]): Counters {
  const c = emptyCounters();
  for (const o of list) {
    c.requests++;
    const s = Math.floor(o.status / 100) - 1;
    c.status[s] = (c.status[s] ?? 0) + 1;
    if (o.edgeError) c.edgeErrors++;
    if (o.cache === CACHE_HIT) c.cacheHits++;
    if (o.cache === CACHE_MISS) c.cacheMisses++;
    if (o.bytes > 0) c.bytes += o.bytes;
    if (o.latencyMs >= 0) {
      const b = bucketOf(o.latencyMs);
      c.latency[b] = (c.latency[b] ?? 0) + 1;
      c.latencySumMs += o.latencyMs;
    }
  }
  return c;
}

const keyOf = (o: { shard: string; minute: number; distributionId: string; arm: Arm }): string =>
  `${o.shard}|${o.minute}|${o.distributionId}|${o.arm}`;

/** Taken rows keyed by shard|minute|distribution|arm (each key must occur once). */
function flatten(takes: Map<string, MinuteRow[]>[]): Map<string, Counters> {
  const out = new Map<string, Counters>();
  for (const take of takes) {
    for (const [shard, rows] of take) {
      for (const row of rows) {
        const key = keyOf({ ...row, shard });
        const { minute: _m, distributionId: _d, arm: _a, ...counters } = row;
        const known = out.get(key);
        out.set(key, known === undefined ? counters : sumCounters([known, counters]));
      }
    }
  }
  return out;
}

const stripKey = ({ minute: _m, distributionId: _d, arm: _a, ...c }: MinuteRow): Counters => c;

describe("the isolate's tally", () => {
  it("counts every response exactly once, per shard, minute, distribution and arm, however often it is taken", () => {
    fc.assert(
      fc.property(fc.array(observation, { maxLength: 200 }), fc.array(fc.nat(), { maxLength: 6 }), (list, cuts) => {
        const tally = new Tally();
        const takes: Map<string, MinuteRow[]>[] = [];
        const cutAt = new Set(cuts.map((c) => c % (list.length + 1)));
        list.forEach((o, i) => {
          if (cutAt.has(i)) takes.push(tally.take());
          count(tally, o);
        });
        takes.push(tally.take());
        expect(tally.take().size).toBe(0);
        expect(tally.empty).toBe(true);

        const got = flatten(takes);
        const groups = new Map<string, Observation[]>();
        for (const o of list) {
          const key = keyOf({ ...o, minute: minuteOf(o.atMs) });
          groups.set(key, [...(groups.get(key) ?? []), o]);
        }
        expect([...got.keys()].sort()).toEqual([...groups.keys()].sort());
        for (const [key, group] of groups) expect(got.get(key)).toEqual(expected(group));
      }),
      { numRuns: 200 },
    );
  });

  it("hands over merged rows: one row per key within a take, sorted by minute", () => {
    const tally = new Tally();
    const base = { shard: "EP", distributionId: "EP", arm: "primary" as const };
    for (const offset of [0, 59_999, 60_000, 10, 120_000]) {
      count(tally, {
        ...base,
        atMs: T0 + offset,
        status: 200,
        cache: CACHE_NONE,
        edgeError: false,
        bytes: 1,
        latencyMs: 5,
      });
    }
    const rows = tally.take().get("EP") ?? [];
    expect(rows.map((r) => [r.minute - minuteOf(T0), r.requests])).toEqual([
      [0, 3],
      [1, 1],
      [2, 1],
    ]);
  });
});

describe("merging rows", () => {
  const row: fc.Arbitrary<MinuteRow> = fc.record({
    minute: fc.integer({ min: 100, max: 103 }),
    distributionId: fc.constantFrom("EA", "EB"),
    arm: fc.constantFrom<Arm>("primary", "staging"),
    requests: fc.nat(1000),
    status: fc.array(fc.nat(100), { minLength: 5, maxLength: 5 }),
    edgeErrors: fc.nat(10),
    cacheHits: fc.nat(10),
    cacheMisses: fc.nat(10),
    bytes: fc.nat(1_000_000),
    latency: fc.constant(null).map(() => {
      const h = emptyCounters().latency;
      h[3] = 2;
      h[40] = 1;
      return h;
    }),
    latencySumMs: fc.nat(10_000),
    dropped: fc.nat(5),
  });

  it("is associative and commutative: any grouping and order of merges gives the same rows", () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), fc.nat(), (rows, split) => {
        const at = rows.length === 0 ? 0 : split % rows.length;
        const left = mergeRows(rows.slice(0, at));
        const right = mergeRows(rows.slice(at));
        expect(mergeRows([...left, ...right])).toEqual(mergeRows(rows));
        expect(mergeRows([...rows].reverse())).toEqual(mergeRows(rows));
        expect(mergeRows(mergeRows(rows))).toEqual(mergeRows(rows));
      }),
    );
  });

  it("keeps the totals: the sum over merged rows equals the sum over the inputs, and inputs are not changed", () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
        const before = structuredClone(rows);
        expect(sumCounters(mergeRows(rows).map(stripKey))).toEqual(sumCounters(rows.map(stripKey)));
        expect(rows).toEqual(before);
      }),
    );
  });

  it("merges totals of one staging distribution kept by two primaries' shards", () => {
    const a = { ...emptyCounters(), requests: 3, distributionId: "ES", arm: "staging" as const };
    const b = { ...emptyCounters(), requests: 4, distributionId: "ES", arm: "staging" as const };
    const p = { ...emptyCounters(), requests: 9, distributionId: "EP", arm: "primary" as const };
    expect(mergeTotals([a, p, b]).map((t) => [t.distributionId, t.arm, t.requests])).toEqual([
      ["EP", "primary", 9],
      ["ES", "staging", 7],
    ]);
  });
});

describe("the outbox", () => {
  const batch = (id: string) => ({ id, shard: "EP", rows: [] });

  it("keeps a failed batch, with its id, for the next flush, and lets an acknowledged one go", () => {
    const box = new Outbox(10);
    box.add(batch("a"));
    box.add(batch("b"));
    expect(box.startSending().map((b) => b.id)).toEqual(["a", "b"]);
    // Already in flight: a concurrent flush does not send them again.
    expect(box.startSending()).toEqual([]);
    box.acknowledge("a");
    box.failed("b");
    expect(box.size).toBe(1);
    const again = box.startSending();
    expect(again.map((b) => [b.id, b.failures])).toEqual([["b", 1]]);
  });

  it("evicts the oldest batches that are not in flight beyond its limit, for the caller to count as dropped", () => {
    const box = new Outbox(2);
    for (const id of ["a", "b", "c", "d"]) box.add(batch(id));
    box.startSending();
    expect(box.evict()).toEqual([]);
    box.failed("a");
    box.failed("b");
    expect(box.evict().map((b) => b.id)).toEqual(["a", "b"]);
    expect(box.size).toBe(2);
  });
});
