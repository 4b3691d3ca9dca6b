/**
 * A MetricsSource over the viewer responses a test itself received: each response the test sends through the real
 * worker is counted for the distribution that served it (the served-by header names the arm), with its status and
 * the time it took, into the same shape the metrics store answers with (a fixed-bucket latency histogram). The
 * rollout engine in the Durable Object reads it through the port in place of the metrics store, so a test decides
 * exactly what each window holds (rollouts-metrics.test.ts judges from the real store instead).
 */
import type { ArmsWindow, ArmWindow, MetricsSource } from "../../../src/domain/rollouts/metrics.js";

export const LATENCY_BOUNDS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

interface Sample {
  at: number;
  distributionId: string;
  status: number;
  latencyMs: number;
}

export class ViewerMetrics implements MetricsSource {
  /** The test records a response when it has it: a window is complete as soon as it ends. */
  readonly settleMs = 0;
  private readonly samples: Sample[] = [];

  record(distributionId: string, status: number, latencyMs: number, at = Date.now()): void {
    this.samples.push({ at, distributionId, status, latencyMs });
  }

  count(distributionId: string): number {
    return this.samples.filter((s) => s.distributionId === distributionId).length;
  }

  async window(primaryId: string, stagingId: string, fromMs: number, toMs: number): Promise<ArmsWindow> {
    return { primary: this.arm(primaryId, fromMs, toMs), staging: this.arm(stagingId, fromMs, toMs) };
  }

  private arm(distributionId: string, fromMs: number, toMs: number): ArmWindow | null {
    const inWindow = this.samples.filter((s) => s.distributionId === distributionId && s.at >= fromMs && s.at < toMs);
    if (inWindow.length === 0) return null;
    const counts = new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0);
    for (const s of inWindow) {
      const i = LATENCY_BOUNDS_MS.findIndex((b) => s.latencyMs <= b);
      const bucket = i < 0 ? LATENCY_BOUNDS_MS.length : i;
      counts[bucket] = (counts[bucket] ?? 0) + 1;
    }
    return {
      requests: inWindow.length,
      status5xx: inWindow.filter((s) => s.status >= 500).length,
      latency: { boundsMs: LATENCY_BOUNDS_MS, counts },
    };
  }
}
