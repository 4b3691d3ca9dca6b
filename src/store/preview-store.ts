/**
 * How long preview links for each primary may be open (docs/storage-schema.md, `preview_links`): the latest
 * expiry of the links issued, published as the record's `previewUntil` so only hosts with live links look for
 * tokens and pinned sessions. Rows past their expiry are dropped when links are next issued.
 */
type Row = Record<string, SqlStorageValue>;

export class PreviewStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec("CREATE TABLE IF NOT EXISTS preview_links (primary_id TEXT PRIMARY KEY, until INTEGER NOT NULL)");
  }

  /** The latest expiry (Unix seconds) of `primaryId`'s links, or 0. */
  until(primaryId: string): number {
    const rows = this.sql.exec<Row>("SELECT until FROM preview_links WHERE primary_id = ?", primaryId).toArray();
    return Number(rows[0]?.until ?? 0);
  }

  /** Records a link open until `until`; forgets links of any primary that expired before `nowS`. */
  extend(primaryId: string, until: number, nowS: number): void {
    this.sql.exec("DELETE FROM preview_links WHERE until <= ?", nowS);
    this.sql.exec(
      `INSERT INTO preview_links (primary_id, until) VALUES (?, ?)
       ON CONFLICT(primary_id) DO UPDATE SET until = MAX(until, excluded.until)`,
      primaryId,
      until,
    );
  }

  /** By primary id: the publisher's overlay. */
  all(): Map<string, number> {
    const rows = this.sql.exec<Row>("SELECT primary_id, until FROM preview_links").toArray();
    return new Map(rows.map((r) => [String(r.primary_id ?? ""), Number(r.until ?? 0)]));
  }
}
