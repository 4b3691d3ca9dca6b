/**
 * The ControlPlane Durable Object's SQLite schema and the narrow repository over it (docs/storage-schema.md,
 * "Control plane state"). Synchronous, like the storage API: a caller that reads, decides and writes without an
 * await in between is atomic, and apply() runs inside transactionSync so a failure leaves nothing half-written.
 */
import type { PolicyKind } from "../domain/behavior-policies/types.js";
import { normalizeDistributionConfig } from "../domain/distribution/normalize.js";
import type { BehaviorPolicyRecord, Change, ControlState, DistributionRecord, PolicyRecord } from "../domain/state.js";
import { distributionResource, type Tag } from "../domain/tags.js";
import { applyFunctions, FUNCTIONS_SCHEMA, loadFunctions } from "./functions-sql.js";

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS distributions (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, etag TEXT NOT NULL,
     domain_name TEXT NOT NULL UNIQUE, last_modified TEXT NOT NULL, config TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS policies (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, etag TEXT NOT NULL,
     epoch INTEGER NOT NULL, last_modified TEXT NOT NULL, config TEXT NOT NULL)`,
  "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
  // Custom cache, origin request and response headers policies (kind: cache | origin-request | response-headers).
  `CREATE TABLE IF NOT EXISTS behavior_policies (id TEXT PRIMARY KEY, kind TEXT NOT NULL, seq INTEGER NOT NULL,
     etag TEXT NOT NULL, last_modified TEXT NOT NULL, config TEXT NOT NULL)`,
  // What KV holds per host: the record's content without its version ("" = unknown, rewrite it next time).
  "CREATE TABLE IF NOT EXISTS published (host TEXT PRIMARY KEY, fingerprint TEXT NOT NULL)",
  // Each tagged resource's tag set, a JSON array of {Key, Value} ("distribution/E123…" as in its ARN).
  "CREATE TABLE IF NOT EXISTS tags (resource TEXT PRIMARY KEY, tags TEXT NOT NULL)",
  FUNCTIONS_SCHEMA,
];

type Row = Record<string, SqlStorageValue>;

const str = (r: Row, k: string): string => String(r[k] ?? "");
const num = (r: Row, k: string): number => Number(r[k] ?? 0);

export class ControlStore {
  constructor(private readonly storage: DurableObjectStorage) {
    for (const stmt of SCHEMA) storage.sql.exec(stmt);
  }

  private get sql(): SqlStorage {
    return this.storage.sql;
  }

  load(): ControlState {
    const distributions = this.sql
      .exec<Row>("SELECT * FROM distributions ORDER BY seq")
      .toArray()
      .map(
        (r): DistributionRecord => ({
          id: str(r, "id"),
          seq: num(r, "seq"),
          etag: str(r, "etag"),
          domainName: str(r, "domain_name"),
          lastModified: str(r, "last_modified"),
          // Configs stored before normalisation existed get CloudFront's defaults here (idempotent for the rest).
          config: normalizeDistributionConfig(JSON.parse(str(r, "config"))),
        }),
      );
    const policies = this.sql
      .exec<Row>("SELECT * FROM policies ORDER BY seq")
      .toArray()
      .map(
        (r): PolicyRecord => ({
          id: str(r, "id"),
          seq: num(r, "seq"),
          etag: str(r, "etag"),
          epoch: num(r, "epoch"),
          lastModified: str(r, "last_modified"),
          config: JSON.parse(str(r, "config")),
        }),
      );
    const behaviorPolicies = this.sql
      .exec<Row>("SELECT * FROM behavior_policies ORDER BY seq")
      .toArray()
      .map(
        (r): BehaviorPolicyRecord => ({
          kind: str(r, "kind") as PolicyKind,
          id: str(r, "id"),
          seq: num(r, "seq"),
          etag: str(r, "etag"),
          lastModified: str(r, "last_modified"),
          config: JSON.parse(str(r, "config")),
        }),
      );
    return { distributions, policies, behaviorPolicies, functions: loadFunctions(this.sql) };
  }

  getMeta(key: string): string | undefined {
    const rows = this.sql.exec<Row>("SELECT value FROM meta WHERE key = ?", key).toArray();
    const v = rows[0]?.value;
    return v === undefined || v === null ? undefined : String(v);
  }

  setMeta(key: string, value: string): void {
    this.sql.exec(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = ?",
      key,
      value,
      value,
    );
  }

  /** host → fingerprint of what was last published there. */
  published(): Map<string, string> {
    const rows = this.sql.exec<Row>("SELECT host, fingerprint FROM published").toArray();
    return new Map(rows.map((r) => [str(r, "host"), str(r, "fingerprint")]));
  }

  setPublished(entries: Iterable<[host: string, fingerprint: string]>, removed: Iterable<string>): void {
    this.storage.transactionSync(() => {
      for (const [host, fp] of entries) {
        this.sql.exec(
          "INSERT INTO published (host, fingerprint) VALUES (?, ?) ON CONFLICT(host) DO UPDATE SET fingerprint = ?",
          host,
          fp,
          fp,
        );
      }
      for (const host of removed) this.sql.exec("DELETE FROM published WHERE host = ?", host);
    });
  }

  /** Marks every published host unknown, so the next publish rewrites all of KV (e.g. after KV was emptied). */
  forgetPublished(): void {
    this.sql.exec("UPDATE published SET fingerprint = ''");
  }

  /** A resource's tags, in the order they were first set. */
  tagsOf(resource: string): Tag[] {
    const row = this.sql.exec<Row>("SELECT tags FROM tags WHERE resource = ?", resource).toArray()[0];
    return row === undefined ? [] : (JSON.parse(str(row, "tags")) as Tag[]);
  }

  /** The next creation sequence number (one counter for both tables). */
  nextSeq(): number {
    return Number(this.getMeta("seq") ?? "0") + 1;
  }

  apply(change: Change, seqUsed: number): void {
    this.storage.transactionSync(() => {
      for (const d of change.putDistributions) {
        this.sql.exec(
          `INSERT INTO distributions (id, seq, etag, domain_name, last_modified, config) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
           config = excluded.config`,
          d.id,
          d.seq,
          d.etag,
          d.domainName,
          d.lastModified,
          JSON.stringify(d.config),
        );
      }
      for (const id of change.deleteDistributions) {
        this.sql.exec("DELETE FROM distributions WHERE id = ?", id);
        // A distribution's tags go with it.
        this.sql.exec("DELETE FROM tags WHERE resource = ?", distributionResource(id));
      }
      for (const p of change.putPolicies) {
        this.sql.exec(
          `INSERT INTO policies (id, seq, etag, epoch, last_modified, config) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET etag = excluded.etag, epoch = excluded.epoch,
           last_modified = excluded.last_modified, config = excluded.config`,
          p.id,
          p.seq,
          p.etag,
          p.epoch,
          p.lastModified,
          JSON.stringify(p.config),
        );
      }
      for (const id of change.deletePolicies) this.sql.exec("DELETE FROM policies WHERE id = ?", id);
      for (const p of change.putBehaviorPolicies) {
        this.sql.exec(
          `INSERT INTO behavior_policies (id, kind, seq, etag, last_modified, config) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
           config = excluded.config`,
          p.id,
          p.kind,
          p.seq,
          p.etag,
          p.lastModified,
          JSON.stringify(p.config),
        );
      }
      for (const id of change.deleteBehaviorPolicies) this.sql.exec("DELETE FROM behavior_policies WHERE id = ?", id);
      for (const { resource, tags } of change.setTags ?? []) {
        if (tags.length === 0) this.sql.exec("DELETE FROM tags WHERE resource = ?", resource);
        else {
          this.sql.exec(
            "INSERT INTO tags (resource, tags) VALUES (?, ?) ON CONFLICT(resource) DO UPDATE SET tags = excluded.tags",
            resource,
            JSON.stringify(tags),
          );
        }
      }
      applyFunctions(this.sql, change);
      this.setMeta("seq", String(seqUsed));
    });
  }
}
