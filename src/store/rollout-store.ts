/**
 * Rollouts in the ControlPlane's SQLite (docs/storage-schema.md, `rollouts`): the latest rollout of each primary,
 * as the engine's JSON, with `drives_edge` set while it still sets the edge's weight (running, paused, awaiting
 * approval, or holding after success), which is what the publisher and the commit check read.
 */
import { drivesEdge, effectiveWeight, type Rollout } from "../domain/rollouts/types.js";

const SCHEMA = `CREATE TABLE IF NOT EXISTS rollouts (primary_id TEXT PRIMARY KEY, rollout_id TEXT NOT NULL,
  drives_edge INTEGER NOT NULL, data TEXT NOT NULL)`;

type Row = Record<string, SqlStorageValue>;

const parse = (r: Row): Rollout => JSON.parse(String(r.data ?? "{}"));

export class RolloutStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
  }

  get(primaryId: string): Rollout | undefined {
    const rows = this.sql.exec<Row>("SELECT data FROM rollouts WHERE primary_id = ?", primaryId).toArray();
    return rows[0] === undefined ? undefined : parse(rows[0]);
  }

  put(r: Rollout): void {
    this.sql.exec(
      `INSERT INTO rollouts (primary_id, rollout_id, drives_edge, data) VALUES (?, ?, ?, ?)
       ON CONFLICT(primary_id) DO UPDATE SET rollout_id = excluded.rollout_id, drives_edge = excluded.drives_edge,
       data = excluded.data`,
      r.primaryId,
      r.id,
      drivesEdge(r) ? 1 : 0,
      JSON.stringify(r),
    );
  }

  /** Rollouts that still set an edge weight. */
  drivingEdge(): Rollout[] {
    return this.sql.exec<Row>("SELECT data FROM rollouts WHERE drives_edge = 1").toArray().map(parse);
  }

  /** By policy id: the weight each driving rollout sets at the edge (the publisher's overlay). */
  weights(): Map<string, { rolloutId: string; weight: number }> {
    const out = new Map<string, { rolloutId: string; weight: number }>();
    for (const r of this.drivingEdge()) {
      const weight = effectiveWeight(r);
      if (weight !== null) out.set(r.policyId, { rolloutId: r.id, weight });
    }
    return out;
  }
}
