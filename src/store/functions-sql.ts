/**
 * The `functions` table of the ControlPlane Durable Object (docs/storage-schema.md): one row per CloudFront
 * Function, its DEVELOPMENT and LIVE stages as JSON. Called by ControlStore inside its transactions.
 */
import type { FunctionRecord } from "../domain/functions/types.js";
import type { Change } from "../domain/state.js";

export const FUNCTIONS_SCHEMA = `CREATE TABLE IF NOT EXISTS functions (name TEXT PRIMARY KEY, seq INTEGER NOT NULL,
  created_time TEXT NOT NULL, development TEXT NOT NULL, live TEXT)`;

type Row = Record<string, SqlStorageValue>;

export function loadFunctions(sql: SqlStorage): FunctionRecord[] {
  return sql
    .exec<Row>("SELECT * FROM functions ORDER BY seq")
    .toArray()
    .map(
      (r): FunctionRecord => ({
        name: String(r.name ?? ""),
        seq: Number(r.seq ?? 0),
        createdTime: String(r.created_time ?? ""),
        development: JSON.parse(String(r.development ?? "{}")),
        live: r.live === null || r.live === undefined ? null : JSON.parse(String(r.live)),
      }),
    );
}

export function applyFunctions(sql: SqlStorage, change: Change): void {
  for (const f of change.putFunctions ?? []) {
    sql.exec(
      `INSERT INTO functions (name, seq, created_time, development, live) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET development = excluded.development, live = excluded.live`,
      f.name,
      f.seq,
      f.createdTime,
      JSON.stringify(f.development),
      f.live === null ? null : JSON.stringify(f.live),
    );
  }
  for (const name of change.deleteFunctions ?? []) sql.exec("DELETE FROM functions WHERE name = ?", name);
}
