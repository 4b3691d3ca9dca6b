/**
 * The MetricsStore Durable Object's SQLite schema and the repository over it (docs/storage-schema.md, "Metrics
 * store"): one row per (minute, serving distribution, arm), cumulative totals per (distribution, arm) for the
 * Prometheus counters, the ids of the batches already applied (so a retried batch is not counted twice), and per
 * batch and (distribution, arm) what the rollout judge reads (requests, 5xx, latency) stamped with when the batch
 * arrived. Synchronous, like the storage API; ingest() runs in one transaction.
 */
import {
  type ArmTotals,
  addCounters,
  type Counters,
  emptyCounters,
  type MinuteRow,
} from "../domain/metrics/counters.js";
import { addHistogram, emptyHistogram, HISTOGRAM_SIZE } from "../domain/metrics/histogram.js";
import type { Arm } from "../model/edge-config.js";

const COUNTER_COLUMNS = `requests INTEGER NOT NULL, s1xx INTEGER NOT NULL, s2xx INTEGER NOT NULL,
  s3xx INTEGER NOT NULL, s4xx INTEGER NOT NULL, s5xx INTEGER NOT NULL, edge_errors INTEGER NOT NULL,
  cache_hits INTEGER NOT NULL, cache_misses INTEGER NOT NULL, bytes INTEGER NOT NULL, latency TEXT NOT NULL,
  latency_sum_ms REAL NOT NULL, dropped INTEGER NOT NULL`;

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS minutes (minute INTEGER NOT NULL, distribution_id TEXT NOT NULL, arm TEXT NOT NULL,
     ${COUNTER_COLUMNS}, PRIMARY KEY (minute, distribution_id, arm))`,
  `CREATE TABLE IF NOT EXISTS totals (distribution_id TEXT NOT NULL, arm TEXT NOT NULL, ${COUNTER_COLUMNS},
     PRIMARY KEY (distribution_id, arm))`,
  "CREATE TABLE IF NOT EXISTS batches (id TEXT PRIMARY KEY, received_ms INTEGER NOT NULL)",
  `CREATE TABLE IF NOT EXISTS arrivals (received_ms INTEGER NOT NULL, distribution_id TEXT NOT NULL,
     arm TEXT NOT NULL, requests INTEGER NOT NULL, s5xx INTEGER NOT NULL, latency TEXT NOT NULL)`,
  "CREATE INDEX IF NOT EXISTS arrivals_by_arm ON arrivals (distribution_id, arm, received_ms)",
];

const NAMES = [
  "requests",
  "s1xx",
  "s2xx",
  "s3xx",
  "s4xx",
  "s5xx",
  "edge_errors",
  "cache_hits",
  "cache_misses",
  "bytes",
  "latency",
  "latency_sum_ms",
  "dropped",
];

type Row = Record<string, SqlStorageValue>;

const num = (r: Row, k: string): number => Number(r[k] ?? 0);

/** The histogram as stored: JSON of the counts without trailing zeros ("[]" for none). */
function encodeLatency(h: readonly number[]): string {
  let end = h.length;
  while (end > 0 && (h[end - 1] ?? 0) === 0) end--;
  return JSON.stringify(h.slice(0, end));
}

function decodeLatency(text: string): number[] {
  const h = new Array<number>(HISTOGRAM_SIZE).fill(0);
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) return h;
  parsed.slice(0, HISTOGRAM_SIZE).forEach((v, i) => {
    h[i] = Number(v) || 0;
  });
  return h;
}

function countersFrom(r: Row): Counters {
  return {
    requests: num(r, "requests"),
    status: [num(r, "s1xx"), num(r, "s2xx"), num(r, "s3xx"), num(r, "s4xx"), num(r, "s5xx")],
    edgeErrors: num(r, "edge_errors"),
    cacheHits: num(r, "cache_hits"),
    cacheMisses: num(r, "cache_misses"),
    bytes: num(r, "bytes"),
    latency: decodeLatency(String(r.latency ?? "[]")),
    latencySumMs: num(r, "latency_sum_ms"),
    dropped: num(r, "dropped"),
  };
}

function values(c: Counters): SqlStorageValue[] {
  return [
    c.requests,
    ...[0, 1, 2, 3, 4].map((i) => c.status[i] ?? 0),
    c.edgeErrors,
    c.cacheHits,
    c.cacheMisses,
    c.bytes,
    encodeLatency(c.latency),
    c.latencySumMs,
    c.dropped,
  ];
}

const armOf = (v: SqlStorageValue | undefined): Arm => (v === "staging" ? "staging" : "primary");

/** What the rollout judge reads of one (distribution, arm): requests, 5xx responses, the latency histogram. */
export interface Arrived {
  requests: number;
  s5xx: number;
  latency: number[];
}

/** A batch's rows (one per minute it spans) summed per (distribution, arm). */
function arrivalsOf(rows: readonly MinuteRow[]): (Arrived & { distributionId: string; arm: Arm })[] {
  const byArm = new Map<string, Arrived & { distributionId: string; arm: Arm }>();
  for (const row of rows) {
    if (row.requests === 0) continue;
    const key = `${row.distributionId}\u0000${row.arm}`;
    let a = byArm.get(key);
    if (a === undefined) {
      a = { distributionId: row.distributionId, arm: row.arm, requests: 0, s5xx: 0, latency: emptyHistogram() };
      byArm.set(key, a);
    }
    a.requests += row.requests;
    a.s5xx += row.status[4] ?? 0;
    addHistogram(a.latency, row.latency);
  }
  return [...byArm.values()];
}

const PLACEHOLDERS = NAMES.map(() => "?").join(", ");

export class MetricsRepository {
  constructor(private readonly storage: DurableObjectStorage) {
    for (const stmt of SCHEMA) storage.sql.exec(stmt);
  }

  private get sql(): SqlStorage {
    return this.storage.sql;
  }

  /**
   * Adds a batch's rows to the minute rows and the totals, once: false (and nothing written) when a batch with
   * this id was applied before.
   */
  ingest(batchId: string, rows: readonly MinuteRow[], nowMs: number): boolean {
    return this.storage.transactionSync(() => {
      if (this.sql.exec("SELECT 1 FROM batches WHERE id = ?", batchId).toArray().length > 0) return false;
      this.sql.exec("INSERT INTO batches (id, received_ms) VALUES (?, ?)", batchId, nowMs);
      for (const row of rows) {
        const key = [row.minute, row.distributionId, row.arm];
        const minute = this.read("minutes", "minute = ? AND distribution_id = ? AND arm = ?", key);
        addCounters(minute, row);
        this.sql.exec(
          `INSERT OR REPLACE INTO minutes (minute, distribution_id, arm, ${NAMES.join(", ")}) VALUES (?, ?, ?, ${PLACEHOLDERS})`,
          ...key,
          ...values(minute),
        );
        const totalKey = [row.distributionId, row.arm];
        const total = this.read("totals", "distribution_id = ? AND arm = ?", totalKey);
        addCounters(total, row);
        this.sql.exec(
          `INSERT OR REPLACE INTO totals (distribution_id, arm, ${NAMES.join(", ")}) VALUES (?, ?, ${PLACEHOLDERS})`,
          ...totalKey,
          ...values(total),
        );
      }
      for (const a of arrivalsOf(rows)) {
        this.sql.exec(
          "INSERT INTO arrivals (received_ms, distribution_id, arm, requests, s5xx, latency) VALUES (?, ?, ?, ?, ?, ?)",
          nowMs,
          a.distributionId,
          a.arm,
          a.requests,
          a.s5xx,
          encodeLatency(a.latency),
        );
      }
      return true;
    });
  }

  /**
   * What reached the store for one distribution serving as one arm in [fromMs, toMs) of arrival time, summed; null
   * when nothing did. Arrival time partitions the traffic exactly: each batch is stamped once, when applied.
   */
  arrived(distributionId: string, arm: Arm, fromMs: number, toMs: number): Arrived | null {
    const rows = this.sql
      .exec<Row>(
        "SELECT requests, s5xx, latency FROM arrivals WHERE distribution_id = ? AND arm = ? AND received_ms >= ? AND received_ms < ?",
        distributionId,
        arm,
        fromMs,
        toMs,
      )
      .toArray();
    if (rows.length === 0) return null;
    const sum: Arrived = { requests: 0, s5xx: 0, latency: emptyHistogram() };
    for (const r of rows) {
      sum.requests += num(r, "requests");
      sum.s5xx += num(r, "s5xx");
      addHistogram(sum.latency, decodeLatency(String(r.latency ?? "[]")));
    }
    return sum;
  }

  private read(table: "minutes" | "totals", where: string, key: SqlStorageValue[]): Counters {
    const found = this.sql.exec<Row>(`SELECT * FROM ${table} WHERE ${where}`, ...key).toArray()[0];
    return found === undefined ? emptyCounters() : countersFrom(found);
  }

  /** Minute rows from `fromMinute` to `toMinute` inclusive, oldest first. */
  minutes(fromMinute: number, toMinute: number): MinuteRow[] {
    return this.sql
      .exec<Row>(
        "SELECT * FROM minutes WHERE minute >= ? AND minute <= ? ORDER BY minute, distribution_id, arm",
        fromMinute,
        toMinute,
      )
      .toArray()
      .map((r) => ({
        minute: num(r, "minute"),
        distributionId: String(r.distribution_id),
        arm: armOf(r.arm),
        ...countersFrom(r),
      }));
  }

  /** Cumulative counters per (distribution, arm) since the shard began: never pruned. */
  totals(): ArmTotals[] {
    return this.sql
      .exec<Row>("SELECT * FROM totals ORDER BY distribution_id, arm")
      .toArray()
      .map((r) => ({ distributionId: String(r.distribution_id), arm: armOf(r.arm), ...countersFrom(r) }));
  }

  /**
   * Deletes minute rows before `minute`, and batch ids and arrivals received before `receivedBeforeMs`; true if
   * rows remain (arrivals go with their batch ids, so the batch count stands for both).
   */
  prune(minute: number, receivedBeforeMs: number): boolean {
    this.sql.exec("DELETE FROM minutes WHERE minute < ?", minute);
    this.sql.exec("DELETE FROM batches WHERE received_ms < ?", receivedBeforeMs);
    this.sql.exec("DELETE FROM arrivals WHERE received_ms < ?", receivedBeforeMs);
    const left = this.sql
      .exec<Row>("SELECT (SELECT COUNT(*) FROM minutes) + (SELECT COUNT(*) FROM batches) AS n")
      .one();
    return num(left, "n") > 0;
  }
}
