/**
 * Where the edge gets a hostname's compiled record: an in-isolate memo first, Workers KV (with cacheTtl) behind
 * it. In steady state a request does no KV read: a fresh memo entry is used as is, and a stale one is served while
 * one background refresh runs (stale-while-revalidate). If KV fails, the last good record keeps serving; with
 * none, the caller answers 503. Unknown hosts are memoised too, so junk Host headers cost no KV read each.
 */
import { EDGE_CONFIG_SCHEMA, type EdgeConfig, hostKey } from "../model/edge-config.js";

export type ConfigLookup =
  | { status: "found"; config: EdgeConfig }
  | { status: "unknown" }
  /** KV failed and this isolate has no earlier answer for the host. */
  | { status: "unavailable" };

export interface ConfigSource {
  kv: KVNamespace;
  memoMs: number;
  kvCacheTtlS: number;
  waitUntil: (p: Promise<unknown>) => void;
}

interface MemoEntry {
  config: EdgeConfig | null;
  fetchedAt: number;
  refreshing: boolean;
}

/**
 * Past memoMs + this, a stale entry is refreshed before use rather than in the background, so an isolate that sat
 * idle for long does not serve a very old record even once.
 */
const STALE_WINDOW_MS = 60_000;

/** Per isolate, per KV namespace (tests run several namespaces in one isolate). */
const memos = new WeakMap<KVNamespace, Map<string, MemoEntry>>();

function memoFor(kv: KVNamespace): Map<string, MemoEntry> {
  let m = memos.get(kv);
  if (m === undefined) {
    m = new Map();
    memos.set(kv, m);
  }
  return m;
}

/**
 * The host's record. A memo hit (the steady state) answers synchronously, without a promise; only a miss or a
 * record too old to serve returns one, for the KV read.
 */
export function lookupConfig(host: string, src: ConfigSource, now: number): ConfigLookup | Promise<ConfigLookup> {
  const memo = memoFor(src.kv);
  const entry = memo.get(host);
  if (entry !== undefined) {
    const age = now - entry.fetchedAt;
    if (age < src.memoMs) return answer(entry.config);
    if (src.memoMs > 0 && age < src.memoMs + STALE_WINDOW_MS) {
      if (!entry.refreshing) {
        entry.refreshing = true;
        src.waitUntil(refresh(host, src, memo, now));
      }
      return answer(entry.config);
    }
  }
  return refreshThenAnswer(host, src, memo, now);
}

async function refreshThenAnswer(
  host: string,
  src: ConfigSource,
  memo: Map<string, MemoEntry>,
  now: number,
): Promise<ConfigLookup> {
  await refresh(host, src, memo, now);
  const after = memo.get(host);
  return after === undefined ? { status: "unavailable" } : answer(after.config);
}

function answer(config: EdgeConfig | null): ConfigLookup {
  return config === null ? { status: "unknown" } : { status: "found", config };
}

async function refresh(host: string, src: ConfigSource, memo: Map<string, MemoEntry>, now: number): Promise<void> {
  try {
    const config = await src.kv.get<EdgeConfig>(hostKey(host), { type: "json", cacheTtl: src.kvCacheTtlS });
    memo.set(host, { config: isCurrentSchema(config) ? config : null, fetchedAt: now, refreshing: false });
  } catch (err) {
    const last = memo.get(host);
    // Keep the last good record, and wait a memo period before asking KV again.
    if (last !== undefined) memo.set(host, { ...last, fetchedAt: now, refreshing: false });
    console.error(JSON.stringify({ msg: "edge config read failed", host, error: String(err) }));
  }
}

/** A record of a schema this build does not know is treated as absent rather than misread. */
function isCurrentSchema(config: EdgeConfig | null): config is EdgeConfig {
  return config !== null && config.schema === EDGE_CONFIG_SCHEMA;
}
