/**
 * MetricsStore Durable Object: one instance (shard) per primary distribution, named by its id, holding the
 * per-minute counters of the primary and of every staging distribution that served its viewers. Isolates send it
 * batches (at most one per METRICS_FLUSH_S per isolate and shard); a batch id it has applied before is
 * acknowledged and ignored, so retries never count twice. Minute rows older than METRICS_RETENTION_DAYS are pruned
 * by an alarm; the cumulative totals behind the Prometheus counters are kept.
 */
import { DurableObject } from "cloudflare:workers";
import type { ArmTotals, MinuteRow } from "../domain/metrics/counters.js";
import type { Batch } from "../domain/metrics/outbox.js";
import { MINUTE_MS, minuteOf } from "../domain/metrics/tally.js";
import { settings } from "../env.js";
import { MetricsRepository } from "./metrics-sql.js";

/** How often the alarm prunes while there are rows. */
const PRUNE_EVERY_MS = 60 * MINUTE_MS;
/** Batch ids are remembered this long: far longer than an isolate keeps a batch it could not send. */
const BATCH_ID_MS = 24 * 60 * MINUTE_MS;

export class MetricsStore extends DurableObject<Env> {
  private readonly repo: MetricsRepository;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.repo = new MetricsRepository(ctx.storage);
  }

  /** Applies a batch (once). `applied` is false for a batch id seen before. */
  async ingest(batch: Batch): Promise<{ applied: boolean }> {
    const applied = this.repo.ingest(batch.id, batch.rows, Date.now());
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + PRUNE_EVERY_MS);
    return { applied };
  }

  minutes(fromMinute: number, toMinute: number): MinuteRow[] {
    return this.repo.minutes(fromMinute, toMinute);
  }

  totals(): ArmTotals[] {
    return this.repo.totals();
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    const retentionMs = settings(this.env).metricsRetentionMs;
    const more = this.repo.prune(minuteOf(now - retentionMs), now - BATCH_ID_MS);
    if (more) await this.ctx.storage.setAlarm(now + PRUNE_EVERY_MS);
  }
}

/** The shard of a primary distribution. */
export function metricsShard(
  ns: DurableObjectNamespace<MetricsStore>,
  primaryId: string,
): DurableObjectStub<MetricsStore> {
  return ns.get(ns.idFromName(primaryId));
}
