/**
 * Helpers for the telemetry tests: viewer requests with telemetry switched on (a short flush interval), the
 * metrics store's rows for a shard, and what the viewers received, tallied per arm for comparison.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { type Counters, sumCounters } from "../../../src/domain/metrics/counters.js";
import worker from "../../../src/index.js";
import type { MetricsStore } from "../../../src/store/metrics-store.js";
import { metricsShard } from "../../../src/store/metrics-store.js";

/** The test env with telemetry on: flushes at most every `seconds` (the workers project has it off). */
export const metricsEnv = (seconds = 1, overrides: Partial<Env> = {}): Env => ({
  ...env,
  METRICS_FLUSH_S: String(seconds),
  ...overrides,
});

export interface Received {
  arm: string;
  status: number;
  xCache: string | null;
  contentLength: number | null;
  body: string;
}

/**
 * Sends viewer requests one after another through the worker's entry point, reading each body; the execution
 * contexts (one of which holds the scheduled flush) are returned unawaited, for settle().
 */
export class Viewers {
  readonly contexts: ExecutionContext[] = [];
  readonly received: Received[] = [];

  constructor(private readonly e: Env) {}

  async send(host: string, path = "/", init: RequestInit = {}): Promise<Received> {
    const ctx = createExecutionContext();
    this.contexts.push(ctx);
    const response = await worker.fetch(
      new Request(`http://${host}${path}`, { redirect: "manual", ...init }),
      this.e,
      ctx,
    );
    const body = await response.text();
    const length = response.headers.get("content-length");
    const r: Received = {
      arm: response.headers.get("x-served-by") ?? "",
      status: response.status,
      xCache: response.headers.get("x-cache"),
      contentLength: length === null ? null : Number(length),
      body,
    };
    this.received.push(r);
    return r;
  }

  /** Waits for every request's background work: cache writes, and the flush a request scheduled. */
  async settle(): Promise<void> {
    await Promise.all(this.contexts.map((ctx) => waitOnExecutionContext(ctx)));
    this.contexts.length = 0;
  }
}

/** The figures a viewer can check, per arm: requests, status classes, X-Cache hits and misses, bytes. */
export interface Seen {
  requests: number;
  status: number[];
  cacheHits: number;
  cacheMisses: number;
  bytes: number;
}

export function seenBy(received: readonly Received[], arm: string): Seen {
  const mine = received.filter((r) => r.arm === arm);
  const status = [0, 0, 0, 0, 0];
  for (const r of mine) {
    const i = Math.floor(r.status / 100) - 1;
    status[i] = (status[i] ?? 0) + 1;
  }
  return {
    requests: mine.length,
    status,
    cacheHits: mine.filter((r) => r.xCache?.startsWith("Hit") === true).length,
    cacheMisses: mine.filter((r) => r.xCache?.startsWith("Miss") === true).length,
    bytes: mine.reduce((n, r) => n + (r.contentLength ?? 0), 0),
  };
}

export const storeOf = (primaryId: string): DurableObjectStub<MetricsStore> => metricsShard(env.METRICS, primaryId);

/** Everything a shard holds for one distribution serving as one arm, summed over all minutes. */
export async function stored(primaryId: string, distributionId: string, arm: string): Promise<Counters> {
  const rows = await storeOf(primaryId).minutes(0, Number.MAX_SAFE_INTEGER);
  return sumCounters(rows.filter((r) => r.distributionId === distributionId && r.arm === arm));
}

export const asSeen = (c: Counters): Seen => ({
  requests: c.requests,
  status: c.status,
  cacheHits: c.cacheHits,
  cacheMisses: c.cacheMisses,
  bytes: c.bytes,
});

let counter = 0;
/** A distribution id no other test uses (each primary is its own metrics shard). */
export function uniqueId(label: string): string {
  counter += 1;
  const random = Math.random().toString(36).slice(2, 7).toUpperCase();
  return `E${label}${counter}${random}`.slice(0, 14).padEnd(14, "0");
}
