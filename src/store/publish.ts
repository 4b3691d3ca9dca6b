/**
 * Publishing compiled edge records to KV. Only records whose content changed since the last successful publish
 * are written (a record keeps the version at which its content last changed), and keys of hosts no longer
 * published are deleted. Idempotent: after a failure the attempted hosts are marked unknown, so the retry
 * rewrites them and deletes whatever is stale.
 */
import { type EdgeConfig, hostKey } from "../model/edge-config.js";

/** A record's content without its version: equal fingerprints mean the edge would see no difference. */
export const fingerprint = (r: EdgeConfig): string => JSON.stringify({ ...r, version: 0 });

export interface PublishPlan {
  puts: [host: string, record: EdgeConfig, fingerprint: string][];
  deletes: string[];
}

/** What to write so KV matches `records`, given what is known to be there. Pure. */
export function planPublish(
  records: ReadonlyMap<string, EdgeConfig>,
  published: ReadonlyMap<string, string>,
): PublishPlan {
  const puts: PublishPlan["puts"] = [];
  for (const [host, record] of records) {
    const fp = fingerprint(record);
    if (published.get(host) !== fp) puts.push([host, record, fp]);
  }
  const deletes = [...published.keys()].filter((h) => !records.has(h));
  return { puts, deletes };
}

export async function applyPublish(kv: Pick<KVNamespace, "put" | "delete">, plan: PublishPlan): Promise<void> {
  await Promise.all([
    ...plan.puts.map(([host, record]) => kv.put(hostKey(host), JSON.stringify(record))),
    ...plan.deletes.map((host) => kv.delete(hostKey(host))),
  ]);
}
