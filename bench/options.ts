/** Benchmark knobs, read once from the environment (defaults keep a full run to a few minutes). */

export interface BenchOptions {
  /** Seconds per scenario per round. */
  durationS: number;
  rounds: number;
  connections: number;
  /** Connections for the cache-hit scenario: Miniflare's local cache path times out under heavy load. */
  cacheConnections: number;
  /**
   * Offered load (requests/s) of the fixed-rate latency rounds, below every worker's capacity so latency shows the
   * work per request rather than queueing; 0 skips them.
   */
  fixedRate: number;
  /** Seconds of unrecorded load per scenario before the first round. */
  warmupS: number;
  /** Scenario ids to run (BENCH_ONLY=a,b); empty = all. */
  only: string[];
  micro: boolean;
  /** Storage counts, cold start and propagation (BENCH_PROBES=0 skips them, for quick load-only runs). */
  probes: boolean;
  /** Time budget per micro-benchmark, in milliseconds. */
  microTimeMs: number;
  /** Seconds of load per scenario for the steady-state KV/DO count (longer than CONFIG_MEMO_MS shows refreshes). */
  countDurationS: number;
  /**
   * A prebuilt splitfront bundle to measure instead of building src/ (BENCH_SPLITFRONT_SCRIPT), e.g. a patched
   * copy when trying out a hot-path change. Empty = build the working tree.
   */
  splitfrontScript: string;
  /**
   * A second splitfront bundle (BENCH_COMPARE_SCRIPT) whose no-policy, header, sticky and new-viewer scenarios run
   * in the same alternating rounds as the first ("B" rows): the fair way to judge a hot-path change on a noisy box.
   */
  compareScript: string;
  /** Fresh workerd instances started for the cold-isolate figure. */
  coldStarts: number;
}

function int(name: string, fallback: number, min: number): number {
  const n = Number.parseInt(process.env[name] ?? "", 10);
  return Number.isFinite(n) && n >= min ? n : fallback;
}

export function readOptions(): BenchOptions {
  return {
    durationS: int("BENCH_DURATION_S", 3, 1),
    rounds: int("BENCH_ROUNDS", 5, 1),
    connections: int("BENCH_CONNECTIONS", 50, 1),
    cacheConnections: int("BENCH_CACHE_CONNECTIONS", 10, 1),
    fixedRate: int("BENCH_RATE", 200, 0),
    warmupS: int("BENCH_WARMUP_S", 1, 0),
    only: (process.env.BENCH_ONLY ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    micro: process.env.BENCH_MICRO !== "0",
    probes: process.env.BENCH_PROBES !== "0",
    microTimeMs: int("BENCH_MICRO_TIME_MS", 1000, 50),
    countDurationS: int("BENCH_COUNT_S", 6, 1),
    splitfrontScript: process.env.BENCH_SPLITFRONT_SCRIPT ?? "",
    compareScript: process.env.BENCH_COMPARE_SCRIPT ?? "",
    coldStarts: int("BENCH_COLD_STARTS", 3, 1),
  };
}
