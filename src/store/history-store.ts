/**
 * Config history in the ControlPlane's SQLite (docs/storage-schema.md, `config_history`): one row per committed
 * version of a distribution's config, numbered per distribution, the last MAX_HISTORY_VERSIONS kept. record() runs
 * inside the commit's transaction, so a version exists exactly when its commit does. Configs are read back
 * normalised (src/domain/distribution/normalize.ts), as the distributions table's are.
 */
import { normalizeDistributionConfig } from "../domain/distribution/normalize.js";
import { type HistoryCause, type HistoryVersion, MAX_HISTORY_VERSIONS } from "../domain/history.js";
import { findDistribution } from "../domain/lookup.js";
import type { Change, ControlState, DistributionRecord } from "../domain/state.js";

const SCHEMA = `CREATE TABLE IF NOT EXISTS config_history (distribution_id TEXT NOT NULL, version INTEGER NOT NULL,
  etag TEXT NOT NULL, at TEXT NOT NULL, cause TEXT NOT NULL, config TEXT NOT NULL,
  PRIMARY KEY (distribution_id, version))`;

type Row = Record<string, SqlStorageValue>;

function toVersion(r: Row): HistoryVersion {
  return {
    distributionId: String(r.distribution_id ?? ""),
    version: Number(r.version ?? 0),
    etag: String(r.etag ?? ""),
    at: String(r.at ?? ""),
    cause: JSON.parse(String(r.cause ?? "{}")),
    // As the distributions table: a version written before configs were normalised gets CloudFront's defaults
    // here (idempotent for the rest), so a restore and GET .../history/{version} see what the API would show.
    config: normalizeDistributionConfig(JSON.parse(String(r.config ?? "{}"))),
  };
}

export class HistoryStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
  }

  /** Newest first. */
  list(distributionId: string): HistoryVersion[] {
    return this.sql
      .exec<Row>("SELECT * FROM config_history WHERE distribution_id = ? ORDER BY version DESC", distributionId)
      .toArray()
      .map(toVersion);
  }

  get(distributionId: string, version: number): HistoryVersion | undefined {
    const rows = this.sql
      .exec<Row>("SELECT * FROM config_history WHERE distribution_id = ? AND version = ?", distributionId, version)
      .toArray();
    return rows[0] === undefined ? undefined : toVersion(rows[0]);
  }

  /** The newest version number of a distribution, 0 when it has none. */
  latestVersion(distributionId: string): number {
    const rows = this.sql
      .exec<Row>("SELECT MAX(version) AS v FROM config_history WHERE distribution_id = ?", distributionId)
      .toArray();
    return Number(rows[0]?.v ?? 0);
  }

  private insert(d: DistributionRecord, version: number, cause: HistoryCause, at: string): void {
    this.sql.exec(
      "INSERT INTO config_history (distribution_id, version, etag, at, cause, config) VALUES (?, ?, ?, ?, ?, ?)",
      d.id,
      version,
      d.etag,
      at,
      JSON.stringify(cause),
      JSON.stringify(d.config),
    );
  }

  /**
   * A new version for every distribution the change writes; a deleted distribution's history goes with it. A
   * distribution that existed before history did gets its previous config first, as a `baseline` version, so its
   * first recorded change can be undone too. Call inside the commit's transaction.
   */
  record(before: ControlState, change: Change, cause: HistoryCause, at: string): void {
    for (const d of change.putDistributions) {
      let latest = this.latestVersion(d.id);
      const previous = findDistribution(before, d.id);
      if (latest === 0 && previous !== undefined) {
        latest = 1;
        this.insert(previous, latest, { madeBy: "baseline" }, previous.lastModified);
      }
      this.insert(d, latest + 1, cause, at);
      this.sql.exec(
        "DELETE FROM config_history WHERE distribution_id = ? AND version <= ?",
        d.id,
        latest + 1 - MAX_HISTORY_VERSIONS,
      );
    }
    for (const id of change.deleteDistributions) {
      this.sql.exec("DELETE FROM config_history WHERE distribution_id = ?", id);
    }
  }
}
