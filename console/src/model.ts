/**
 * What the console shows, as plain data and pure functions (no DOM, no I/O; test/unit/console/ tests them):
 * primaries paired with their policy and staging distribution, policies in words, and a metrics report turned
 * into per-minute chart series and per-arm figures.
 */
import type { Summary } from "../../src/domain/metrics/report.js";

export interface Distribution {
  id: string;
  domainName: string;
  status: string;
  lastModified: string;
  etag: string;
  aliases: string[];
  comment: string;
  enabled: boolean;
  staging: boolean;
  /** Known from GetDistribution only (a list summary has no such member): null there. */
  policyId: string | null;
}

export type Traffic =
  | { type: "SingleWeight"; weight: number; stickiness: { idleTTL: number; maximumTTL: number } | null }
  | { type: "SingleHeader"; header: string; value: string };

export interface Policy {
  id: string;
  lastModified: string;
  enabled: boolean;
  stagingDnsNames: string[];
  traffic: Traffic;
}

/** A primary distribution with the policy attached to it and the staging distribution that policy names. */
export interface Site {
  primary: Distribution;
  policy: Policy | null;
  staging: Distribution | null;
}

/** The primaries (full, from GetDistribution) with their policies and staging distributions, by name. */
export function sitesOf(primaries: Distribution[], policies: Policy[], all: Distribution[]): Site[] {
  return primaries
    .map((primary) => {
      const policy = policies.find((p) => p.id === primary.policyId) ?? null;
      const staging =
        policy === null ? null : (all.find((d) => d.staging && policy.stagingDnsNames.includes(d.domainName)) ?? null);
      return { primary, policy, staging };
    })
    .sort((a, b) => siteName(a).localeCompare(siteName(b)));
}

/** A site's name: its first alias, else its domain name. */
export const siteName = (s: Site): string => s.primary.aliases[0] ?? s.primary.domainName;

export const percent = (x: number, digits = 1): string =>
  `${(Math.round(x * 100 * 10 ** digits) / 10 ** digits).toString()} %`;

/** The policy's traffic rule in words: "10 % of new sessions, sticky (idle 300 s, at most 600 s)". */
export function describeTraffic(t: Traffic): string {
  if (t.type === "SingleHeader") return `requests with header ${t.header}: ${t.value}`;
  if (t.stickiness === null) return `${percent(t.weight)} of requests`;
  return `${percent(t.weight)} of new sessions, sticky (idle ${t.stickiness.idleTTL} s, at most ${t.stickiness.maximumTTL} s)`;
}

// ---- metrics (GET .../distributions/{id}/metrics, docs/extensions-api.md) ----

/** One arm's figures over the window, or one minute of them: the API's own type (type-only: nothing is bundled). */
export type Figures = Summary;

export interface ArmReport extends Figures {
  distributionId: string;
  series: (Figures & { start: string })[];
}

export interface MetricsReport {
  distributionId: string;
  policyId: string | null;
  stagingDistributionId: string | null;
  window: { seconds: number; from: string; to: string };
  flushIntervalSeconds: number;
  primary: ArmReport | null;
  staging: ArmReport | null;
}

export type Arm = "primary" | "staging";
export const ARMS: readonly Arm[] = ["primary", "staging"];

/** One arm's figures over the window, as the console shows them; null where there is nothing to show. */
export interface ArmTotals {
  requests: number;
  requestsPerSecond: number;
  errorRate: number | null;
  p50: number | null;
  p99: number | null;
  cacheHitRatio: number | null;
}

const hitRatio = (f: Figures): number | null =>
  f.cacheHits + f.cacheMisses === 0 ? null : f.cacheHits / (f.cacheHits + f.cacheMisses);

/** The seconds a window has really covered by `now`: from its first minute to now (its end is in the future). */
function coveredSeconds(r: MetricsReport, nowMs: number): number {
  const from = Date.parse(r.window.from);
  return Math.max(1, (Math.min(nowMs, Date.parse(r.window.to)) - from) / 1000);
}

export function totals(r: MetricsReport, arm: Arm, nowMs: number): ArmTotals {
  const a = r[arm];
  if (a === null)
    return { requests: 0, requestsPerSecond: 0, errorRate: null, p50: null, p99: null, cacheHitRatio: null };
  return {
    requests: a.requests,
    requestsPerSecond: a.requests / coveredSeconds(r, nowMs),
    errorRate: a.requests === 0 ? null : a.errorRate,
    p50: a.latencyMs?.p50 ?? null,
    p99: a.latencyMs?.p99 ?? null,
    cacheHitRatio: hitRatio(a),
  };
}

/** uPlot's columnar data: x (seconds since the epoch), then one column per series; null is a gap. */
export type Columns = [number[], ...(number | null)[][]];

export interface ChartData {
  requestsPerSecond: Columns;
  errorRate: Columns;
  latency: Columns;
  cacheHitRatio: Columns;
}

/**
 * Per-minute series of both arms over every minute of the window (a minute without traffic is absent from the
 * report: 0 requests/s there, and a gap in the ratios). The current minute's rate is over its elapsed part (at
 * least 10 s, so a minute just begun does not spike).
 */
export function chartData(r: MetricsReport, nowMs: number): ChartData {
  const from = Date.parse(r.window.from);
  const to = Date.parse(r.window.to);
  const xs: number[] = [];
  for (let t = from; t < to; t += 60_000) xs.push(t / 1000);
  const byStart = (arm: Arm) => new Map((r[arm]?.series ?? []).map((m) => [Date.parse(m.start) / 1000, m]));
  const maps = ARMS.map(byStart);
  const column = (f: (m: Figures | undefined, x: number) => number | null) =>
    maps.map((m) => xs.map((x) => f(m.get(x), x)));
  const rate = column((m, x) => {
    const seconds = Math.min(60, Math.max(10, nowMs / 1000 - x));
    return (m?.requests ?? 0) / seconds;
  });
  const errors = column((m) => (m === undefined || m.requests === 0 ? null : m.errorRate));
  const p50 = column((m) => m?.latencyMs?.p50 ?? null);
  const p99 = column((m) => m?.latencyMs?.p99 ?? null);
  const hits = column((m) => (m === undefined ? null : hitRatio(m)));
  const pair = (c: (number | null)[][]): Columns => [xs, c[0] ?? [], c[1] ?? []];
  return {
    requestsPerSecond: pair(rate),
    errorRate: pair(errors),
    latency: [xs, p50[0] ?? [], p99[0] ?? [], p50[1] ?? [], p99[1] ?? []],
    cacheHitRatio: pair(hits),
  };
}

/** The last value of a column that is not a gap, for the charts' text alternatives. */
export function lastValue(col: (number | null)[] | undefined): number | null {
  for (let i = (col?.length ?? 0) - 1; i >= 0; i--) {
    const v = col?.[i];
    if (v !== null && v !== undefined) return v;
  }
  return null;
}

export const fixed = (x: number | null, digits: number, unit = ""): string =>
  x === null ? "–" : `${x.toFixed(digits)}${unit}`;
export const pct = (x: number | null): string => (x === null ? "–" : percent(x, 2));
export const ms = (x: number | null): string => (x === null ? "–" : `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`);
