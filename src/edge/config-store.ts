/**
 * Where the edge gets a hostname's compiled record: an in-isolate memo first, Workers KV (with cacheTtl) behind
 * it, with a stated staleness bound. No viewer request is decided on a record read from KV more than `memoMs` ago:
 *
 * - younger than three quarters of the bound: used as is (the steady state: no KV read, no promise);
 * - from three quarters of the bound on: still used, while one background refresh runs, so a busy host never
 *   waits (a quarter of the bound, 1.25 s by default, is left for the read: a KV read takes milliseconds);
 * - at the bound or older (an isolate that sat idle): the request waits for KV.
 *
 * When KV fails, the last good record keeps serving past the bound (an error is logged, and KV is asked again
 * after half a bound rather than on every request); with none, the caller answers 503. Unknown hosts are memoised
 * too, so junk Host headers cost no KV read each. On Cloudflare KV itself may lag a write (its cacheTtl and global
 * propagation: KV_STALENESS_S), which adds to this bound: see propagationBoundMs() in src/env.ts.
 */
import { EDGE_CONFIG_SCHEMA, type EdgeConfig, hostKey, REFRESH_FROM } from "../model/edge-config.js";
import { StringMemo } from "./string-memo.js";

export type ConfigLookup =
  | { status: "found"; config: EdgeConfig }
  | { status: "unknown" }
  /** KV failed and this isolate has no earlier answer for the host. */
  | { status: "unavailable" };

export interface ConfigSource {
  kv: KVNamespace;
  /** The staleness bound: the oldest a record may be (since it was read from KV) to decide a request. */
  memoMs: number;
  kvCacheTtlS: number;
  waitUntil: (p: Promise<unknown>) => void;
}

interface MemoEntry {
  config: EdgeConfig | null;
  /** The answer for `config`, made once per read rather than once per request. */
  found: ConfigLookup;
  /** When the KV read that produced `config` started (the record is at least this fresh). */
  readAt: number;
  /** A background refresh is running. */
  refreshing: boolean;
  /** After a failed KV read, the time before which KV is not asked again (the last good record serves). */
  retryAt: number;
}

/** Per isolate, per KV namespace (tests run several namespaces in one isolate), per host. */
const memo = new StringMemo<KVNamespace, MemoEntry>();

/**
 * The host's record at time `now` (injected: the handler passes Date.now()). A memo hit inside the bound answers
 * synchronously, without a promise; only a miss or a record at the bound returns one, for the KV read.
 */
export function lookupConfig(host: string, src: ConfigSource, now: number): ConfigLookup | Promise<ConfigLookup> {
  const entry = memo.get(src.kv, host);
  if (entry !== undefined) {
    const age = now - entry.readAt;
    if (age < src.memoMs) {
      if (age >= src.memoMs * REFRESH_FROM && !entry.refreshing && now >= entry.retryAt) {
        entry.refreshing = true;
        src.waitUntil(refresh(host, src, now));
      }
      return entry.found;
    }
    // Past the bound. KV failed lately: the last good record serves until it is worth asking again.
    if (now < entry.retryAt) return entry.found;
  }
  // Not shared with other requests: workerd ties a promise to the request whose I/O settles it.
  return refresh(host, src, now).then(() => {
    const after = memo.get(src.kv, host);
    return after === undefined ? { status: "unavailable" } : after.found;
  });
}

function answer(config: EdgeConfig | null): ConfigLookup {
  return config === null ? { status: "unknown" } : { status: "found", config };
}

async function refresh(host: string, src: ConfigSource, now: number): Promise<void> {
  try {
    const read = await src.kv.get<EdgeConfig>(hostKey(host), { type: "json", cacheTtl: src.kvCacheTtlS });
    const current = memo.get(src.kv, host);
    // A slower, older read never replaces a newer one.
    if (current !== undefined && current.readAt > now) return;
    const config = isCurrentSchema(read) ? read : null;
    memo.set(src.kv, host, { config, found: answer(config), readAt: now, refreshing: false, retryAt: 0 });
  } catch (err) {
    const last = memo.get(src.kv, host);
    // Keep the last good record (with the time it was really read), and give KV half a bound before the next try.
    if (last !== undefined) {
      last.refreshing = false;
      last.retryAt = now + Math.max(src.memoMs / 2, 1000);
    }
    console.error(
      JSON.stringify({
        msg: "edge config read failed",
        host,
        servingRecordAgeMs: last === undefined ? null : now - last.readAt,
        error: String(err),
      }),
    );
  }
}

/** A record of a schema this build does not know is treated as absent rather than misread. */
function isCurrentSchema(config: EdgeConfig | null): config is EdgeConfig {
  return config !== null && config.schema === EDGE_CONFIG_SCHEMA;
}
