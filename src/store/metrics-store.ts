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
import { type Arrived, MetricsRepository } from "./metrics-sql.js";

/** How often the alarm prunes while there are rows. */
const PRUNE_EVERY_MS = 60 * MINUTE_MS;
/** Batch ids are remembered this long: far longer than an isolate keeps a batch it could not send. */
const BATCH_ID_MS = 24 * 60 * MINUTE_MS;

export class MetricsStore extends DurableObject<Env> {
  private readonly repo: MetricsRepository;
  /** The prune alarm is known to be set (checked once per instance, not on every batch). */
  private alarmArmed = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.repo = new MetricsRepository(ctx.storage);
  }

  /** Applies a batch (once). `applied` is false for a batch id seen before. */
  async ingest(batch: Batch): Promise<{ applied: boolean }> {
    const applied = this.repo.ingest(batch.id, batch.rows, Date.now());
    if (!this.alarmArmed) {
      if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + PRUNE_EVERY_MS);
      this.alarmArmed = true;
    }
    return { applied };
  }

  minutes(fromMinute: number, toMinute: number): MinuteRow[] {
    return this.repo.minutes(fromMinute, toMinute);
  }

  totals(): ArmTotals[] {
    return this.repo.totals();
  }

  /**
   * For the rollout judge (src/store/metrics-source.ts): what arrived for this shard's primary and for `stagingId`
   * serving its viewers in [fromMs, toMs) of arrival time, both read in one turn of the object.
   */
  arrived(
    primaryId: string,
    stagingId: string,
    fromMs: number,
    toMs: number,
  ): { primary: Arrived | null; staging: Arrived | null } {
    return {
      primary: this.repo.arrived(primaryId, "primary", fromMs, toMs),
      staging: this.repo.arrived(stagingId, "staging", fromMs, toMs),
    };
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    const retentionMs = settings(this.env).metricsRetentionMs;
    const more = this.repo.prune(minuteOf(now - retentionMs), now - BATCH_ID_MS);
    if (more) await this.ctx.storage.setAlarm(now + PRUNE_EVERY_MS);
    // Without rows nothing is armed: the next batch arms it again.
    this.alarmArmed = more;
  }
}

/** Shard ids by primary id: idFromName() hashes the name on every call; an id may be kept (a stub may not). */
const shardIds = new Map<string, DurableObjectId>();

/** The shard of a primary distribution. */
export function metricsShard(
  ns: DurableObjectNamespace<MetricsStore>,
  primaryId: string,
): DurableObjectStub<MetricsStore> {
  let id = shardIds.get(primaryId);
  if (id === undefined) {
    id = ns.idFromName(primaryId);
    if (shardIds.size >= 10_000) shardIds.clear();
    shardIds.set(primaryId, id);
  }
  return ns.get(id);
}
