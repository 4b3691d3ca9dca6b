/**
 * Writes compiled edge records to KV and deletes the keys of hosts no longer published. Idempotent: running it
 * again with the same records leaves KV the same, so a failed publish is simply retried.
 */
import { type EdgeConfig, hostKey } from "../model/edge-config.js";

export async function publishRecords(
  kv: KVNamespace,
  records: ReadonlyMap<string, EdgeConfig>,
  previousHosts: Iterable<string>,
): Promise<void> {
  const puts = [...records].map(([host, record]) => kv.put(hostKey(host), JSON.stringify(record)));
  const stale = [...previousHosts].filter((h) => !records.has(h)).map((h) => kv.delete(hostKey(h)));
  await Promise.all([...puts, ...stale]);
}
