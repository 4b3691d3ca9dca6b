/**
 * Turns the rounds into the summary: medians per scenario, per-round ratios against the pass-through run of the
 * same round (alternating rounds make these ratios robust to drift of a shared machine), the budget verdict,
 * and the printed table.
 */
import type { LoadResult } from "./load.js";
import type { PreparedScenario } from "./scenarios.js";

export interface ScenarioSummary {
  id: string;
  label: string;
  connections: number;
  rounds: LoadResult[];
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Median workerd CPU per request (microseconds), or null when not measured (origin direct, non-Linux). */
  cpuUs: number | null;
  /** workerd CPU per request / the pass-through's, one per round. */
  cpuRatioPerRound: number[];
  /** rps / pass-through rps, one per round. */
  ratioPerRound: number[];
  /** p50 - pass-through p50 (ms), one per round. */
  p50DeltaPerRound: number[];
  /** p99 - pass-through p99 (ms), one per round. */
  p99DeltaPerRound: number[];
  /** rps / naive A/B rps, one per round. */
  vsNaivePerRound: number[];
  /** rps / CloudFront-faithful pass-through rps (the limit row), one per round. */
  vsFaithfulPerRound: number[];
  /** p50 and p99 - the CloudFront-faithful pass-through's (ms), one per round. */
  p50VsFaithfulPerRound: number[];
  p99VsFaithfulPerRound: number[];
  problem: string | null;
  cacheStatus: string | null;
  setsCookie: boolean;
}

export interface BudgetVerdict {
  id: string;
  /** Median p50 and p99 minus the CloudFront-faithful pass-through's, at the fixed rate (ms). */
  p50DeltaMs: number;
  p99DeltaMs: number;
  pass: boolean;
}

export const median = (xs: number[]): number => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

function perRound(a: LoadResult[], b: LoadResult[] | undefined, f: (x: LoadResult, y: LoadResult) => number): number[] {
  if (b === undefined) return [];
  return a.flatMap((x, i) => {
    const y = b[i];
    return y === undefined ? [] : [f(x, y)];
  });
}

function cpuOf(rounds: LoadResult[]): number | null {
  const xs = rounds.flatMap((r) => (r.cpuUs === null ? [] : [r.cpuUs]));
  return xs.length === 0 ? null : median(xs);
}

export function summarise(
  prepared: PreparedScenario[],
  results: Map<string, LoadResult[]>,
  connectionsOf: (sc: PreparedScenario) => number,
): ScenarioSummary[] {
  const pass = results.get("passthrough");
  const naive = results.get("naive-ab");
  const faithful = results.get("faithful");
  return prepared.map((sc) => {
    const rounds = results.get(sc.id) ?? [];
    return {
      id: sc.id,
      label: sc.label,
      connections: connectionsOf(sc),
      rounds,
      rps: median(rounds.map((r) => r.rps)),
      p50: median(rounds.map((r) => r.p50)),
      p99: median(rounds.map((r) => r.p99)),
      errors: rounds.reduce((n, r) => n + r.errors, 0),
      cpuUs: cpuOf(rounds),
      cpuRatioPerRound: perRound(rounds, pass, (x, y) =>
        x.cpuUs === null || y.cpuUs === null ? Number.NaN : x.cpuUs / y.cpuUs,
      ).filter(Number.isFinite),
      ratioPerRound: perRound(rounds, pass, (x, y) => x.rps / y.rps),
      p50DeltaPerRound: perRound(rounds, pass, (x, y) => x.p50 - y.p50),
      p99DeltaPerRound: perRound(rounds, pass, (x, y) => x.p99 - y.p99),
      vsNaivePerRound: perRound(rounds, naive, (x, y) => x.rps / y.rps),
      vsFaithfulPerRound: perRound(rounds, faithful, (x, y) => x.rps / y.rps),
      p50VsFaithfulPerRound: perRound(rounds, faithful, (x, y) => x.p50 - y.p50),
      p99VsFaithfulPerRound: perRound(rounds, faithful, (x, y) => x.p99 - y.p99),
      problem: sc.problem,
      cacheStatus: sc.cacheStatus,
      setsCookie: sc.setsCookie,
    };
  });
}

/**
 * The latency half of the budget (issue 13, "The performance budget, restated"), from the fixed-rate rounds: header
 * and sticky mode (and their "B" bundle twins) with p50 and p99 within +1 ms of the CloudFront-faithful
 * pass-through. The other half, at most 1.03x its instructions per request, is `npm run bench:instructions`.
 */
export function budget(fixedRate: ScenarioSummary[]): BudgetVerdict[] {
  return fixedRate
    .filter((s) => /^sf-(header|sticky)(-b)?$/.test(s.id))
    .map((s) => {
      const p50DeltaMs = median(s.p50VsFaithfulPerRound);
      const p99DeltaMs = median(s.p99VsFaithfulPerRound);
      const pass = p50DeltaMs <= 1 && p99DeltaMs <= 1 && s.errors === 0 && s.problem === null;
      return { id: s.id, p50DeltaMs, p99DeltaMs, pass };
    });
}
