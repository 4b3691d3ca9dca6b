/**
 * A small loop timer for the micro-benchmarks (no benchmark library in the project's dependencies): calibrate a
 * batch size that takes about a millisecond, then time batches until the budget is spent. Reports the median
 * batch (robust to GC pauses and the other tenant of a shared core) and the mean.
 */

export interface MicroResult {
  name: string;
  /** Median over batches, nanoseconds per operation. */
  nsPerOp: number;
  meanNsPerOp: number;
  opsPerSec: number;
  batches: number;
  opsPerBatch: number;
}

/** Results are folded in here so the optimiser cannot drop a benchmarked call as dead code. */
export let sink = 0;

function fold(v: unknown): void {
  sink = (sink + (v === null || v === undefined ? 0 : 1)) | 0;
}

export async function measure(name: string, fn: () => unknown, timeMs: number): Promise<MicroResult> {
  const runBatch = async (n: number): Promise<number> => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      const r = fn();
      fold(r instanceof Promise ? await r : r);
    }
    return Number(process.hrtime.bigint() - t0);
  };
  // Warm up (JIT) and calibrate: grow the batch until it takes at least ~1 ms.
  let n = 1;
  for (;;) {
    const ns = await runBatch(n);
    if (ns >= 1e6 || n >= 1 << 20) break;
    n *= 2;
  }
  const perOp: number[] = [];
  let totalNs = 0;
  let totalOps = 0;
  const deadline = performance.now() + timeMs;
  while (performance.now() < deadline || perOp.length < 5) {
    const ns = await runBatch(n);
    perOp.push(ns / n);
    totalNs += ns;
    totalOps += n;
  }
  perOp.sort((a, b) => a - b);
  const med = perOp[Math.floor(perOp.length / 2)] ?? Number.NaN;
  return {
    name,
    nsPerOp: med,
    meanNsPerOp: totalNs / totalOps,
    opsPerSec: 1e9 / med,
    batches: perOp.length,
    opsPerBatch: n,
  };
}
