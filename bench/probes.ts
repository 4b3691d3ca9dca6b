/**
 * Figures other than throughput: storage calls per request in steady state (through the counting entry), and
 * the first-request cost of a freshly started workerd isolate.
 */

import { get, send } from "./http.js";
import { startWorker, type WorkerSpec } from "./instances.js";
import { runLoad } from "./load.js";
import { median } from "./report.js";
import type { PreparedScenario } from "./scenarios.js";

export interface StorageCounts {
  id: string;
  requests: number;
  kvReads: number;
  kvWrites: number;
  doCalls: number;
  kvReadsPerRequest: number;
  doCallsPerRequest: number;
}

interface Counters {
  requests: number;
  kvReads: number;
  kvWrites: number;
  doCalls: number;
}

/** Runs each splitfront scenario against the counting entry and reads the counters afterwards. */
export async function storageCounts(
  countingUrl: string,
  scenarios: PreparedScenario[],
  durationS: number,
): Promise<StorageCounts[]> {
  const out: StorageCounts[] = [];
  for (const sc of scenarios) {
    const url = sc.url.replace(/^http:\/\/[^/]+/, countingUrl);
    // Warm: the first request of a host loads its config; steady state is what follows.
    for (let i = 0; i < 5; i++) await get(url, sc.sendHeaders);
    await send("POST", `${countingUrl}/__bench/counts`);
    await runLoad({ url, headers: sc.sendHeaders, connections: 10, durationS });
    const c = JSON.parse((await get(`${countingUrl}/__bench/counts`)).body) as Counters;
    out.push({
      id: sc.id,
      ...c,
      kvReadsPerRequest: c.requests === 0 ? Number.NaN : c.kvReads / c.requests,
      doCallsPerRequest: c.requests === 0 ? Number.NaN : c.doCalls / c.requests,
    });
  }
  return out;
}

export interface ColdStart {
  worker: string;
  /** new Miniflare() until ready (workerd process start, script compile). */
  startupMs: number[];
  firstRequestMs: number[];
  /** Median of the next 100 sequential requests on the same instance. */
  warmRequestMs: number[];
}

/**
 * Cold isolate: start a fresh workerd, (seed it,) time the very first request, then the next 100. Each
 * request opens its own connection, so the first and the warm figures carry the same connection cost.
 */
export async function coldStart(
  worker: string,
  spec: WorkerSpec,
  seed: (inst: Awaited<ReturnType<typeof startWorker>>) => Promise<void>,
  path: string,
  headers: Record<string, string>,
  times: number,
): Promise<ColdStart> {
  const result: ColdStart = { worker, startupMs: [], firstRequestMs: [], warmRequestMs: [] };
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    const inst = await startWorker(spec);
    result.startupMs.push(performance.now() - t0);
    try {
      await seed(inst);
      const first = await get(inst.url + path, headers);
      if (first.status !== 200) throw new Error(`cold start probe of ${worker} answered ${first.status}`);
      result.firstRequestMs.push(first.ms);
      const warm: number[] = [];
      for (let j = 0; j < 100; j++) warm.push((await get(inst.url + path, headers)).ms);
      result.warmRequestMs.push(median(warm));
    } finally {
      await inst.stop();
    }
  }
  return result;
}
