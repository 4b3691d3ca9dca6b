/**
 * Per-arm telemetry at the edge, with no I/O on the request path: each response is counted into the isolate's
 * tally (src/domain/metrics/tally.ts: a Map lookup and a few increments), and the tally is flushed to the
 * MetricsStore Durable Object (one shard per primary distribution) through ctx.waitUntil.
 *
 * When a request finds no flush scheduled, it schedules one METRICS_FLUSH_S later, as a waitUntil'd timer: that
 * keeps the request's context alive until then (workerd allows a waitUntil'd promise 30 s after the response,
 * hence METRICS_FLUSH_S <= 25), so every counted request reaches the store within METRICS_FLUSH_S even when no
 * further request comes, and an isolate flushes at most once per METRICS_FLUSH_S. A batch the store did not
 * acknowledge stays in the outbox, with its id, and is sent again with the next flush (the store ignores a batch
 * id it has applied, so nothing counts twice); past OUTBOX_LIMIT batches the oldest are folded into `dropped`
 * counts, which travel on with the next batch: detail is lost in a long outage, the count never silently.
 */

import { Outbox } from "../domain/metrics/outbox.js";
import { CACHE_HIT, CACHE_MISS, CACHE_NONE, countResponse, minuteOf, Tally } from "../domain/metrics/tally.js";
import type { Settings } from "../env.js";
import type { Arm } from "../model/edge-config.js";
import { metricsShard } from "../store/metrics-store.js";
import { declaredLength } from "./origin-body.js";
import type { Served } from "./serve.js";

/** Batches kept for retry before the oldest are counted as dropped (about 5 minutes of failed 10 s flushes). */
const OUTBOX_LIMIT = 32;
/** A timer-driven flush that fails is retried this many times without new traffic (each METRICS_FLUSH_S later). */
const IDLE_RETRIES = 1;

/**
 * A flush whose timer has not fired this long after it was due is taken for lost (workerd ends a request's
 * waitUntil work 30 s after the response, or with the isolate's context), and the next request schedules another.
 */
const LOST_FLUSH_MS = 30_000;

const tally = new Tally();
const outbox = new Outbox(OUTBOX_LIMIT);
/** When the pending flush is due (ms since the epoch); 0 when none is pending. */
let flushDue = 0;
let isolateTag = "";
let sequence = 0;

/**
 * Counts one viewer response of `distributionId` serving as `arm` for the primary `primaryId`, and makes sure a
 * flush will carry it. `now` is the request's arrival; the origin latency is measured to the moment its response
 * headers were handed back (workerd's clock moves only with I/O, so Date.now() here is that moment).
 */
export function countViewerResponse(
  env: Env,
  s: Settings,
  waitUntil: (p: Promise<unknown>) => void,
  now: number,
  primaryId: string,
  distributionId: string,
  arm: Arm,
  served: Served,
  response: Response,
): void {
  // Off by METRICS_FLUSH_S=0, or where the deployment binds no metrics store.
  if (s.metricsFlushMs === 0 || env.METRICS === undefined) return;
  const result = served.result;
  const edgeError = served.edgeError !== undefined;
  // X-Cache is the edge's word on its cache: a response from a behaviour that never caches carries none.
  const cache = served.fromOrigin
    ? CACHE_NONE
    : result === "Hit" || result === "RefreshHit"
      ? CACHE_HIT
      : result === "Miss"
        ? CACHE_MISS
        : CACHE_NONE;
  const askedOrigin = cache !== CACHE_HIT && result !== "Redirect" && !edgeError;
  const latency = askedOrigin ? Date.now() - now : -1;
  // The origin's status and length as the edge read them, while the response is still the origin's (no runtime
  // call); else read from the response. A body broken off (origin-body.ts) sent none of the bytes it promised.
  const origin = served.origin?.response === response ? served.origin : undefined;
  const status = origin === undefined ? response.status : origin.status;
  let bytes = -1;
  if (served.edgeError !== "origin-body-cut") {
    const length = origin === undefined ? declaredLength(response.headers) : origin.length;
    if (length !== null) bytes = length;
  }
  countResponse(tally.slot(minuteOf(now), primaryId, distributionId, arm), status, cache, edgeError, bytes, latency);
  const ae = env.METRICS_AE;
  if (ae !== undefined) {
    ae.writeDataPoint({
      indexes: [distributionId],
      blobs: [distributionId, arm, primaryId, result, served.edgeError ?? ""],
      doubles: [status, bytes, latency],
    });
  }
  if (flushDue === 0 || now > flushDue + LOST_FLUSH_MS) {
    flushDue = now + s.metricsFlushMs;
    waitUntil(flushLater(env, s.metricsFlushMs, IDLE_RETRIES));
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function flushLater(env: Env, ms: number, retries: number): Promise<void> {
  await sleep(ms);
  // Requests from now on schedule the next flush.
  flushDue = 0;
  const ok = await flush(env);
  if (!ok && retries > 0 && flushDue === 0) {
    flushDue = Date.now() + ms;
    await flushLater(env, ms, retries - 1);
  }
}

/** Sends everything counted and everything still unacknowledged; true when the outbox is empty afterwards. */
async function flush(env: Env): Promise<boolean> {
  if (isolateTag === "") isolateTag = crypto.randomUUID();
  for (const [shard, rows] of tally.take()) {
    sequence++;
    outbox.add({ id: `${isolateTag}-${sequence}`, shard, rows });
  }
  const sending = outbox.startSending();
  await Promise.all(
    sending.map(async (batch) => {
      try {
        await metricsShard(env.METRICS, batch.shard).ingest({ id: batch.id, shard: batch.shard, rows: batch.rows });
        outbox.acknowledge(batch.id);
      } catch (e) {
        const requests = batch.rows.reduce((n, r) => n + r.requests + r.dropped, 0);
        console.error(
          `metrics: flush of ${requests} requests to shard ${batch.shard} failed (attempt ${batch.failures + 1}); kept`,
          e,
        );
        outbox.failed(batch.id);
      }
    }),
  );
  const minute = minuteOf(Date.now());
  for (const batch of outbox.evict()) {
    let lost = 0;
    for (const row of batch.rows) {
      const n = row.requests + row.dropped;
      tally.slot(minute, batch.shard, row.distributionId, row.arm).dropped += n;
      lost += n;
    }
    console.error(`metrics: ${lost} requests' details dropped for shard ${batch.shard}; their count goes on`);
  }
  return outbox.size === 0;
}
