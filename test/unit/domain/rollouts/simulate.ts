/**
 * Seeded traffic for the judge's simulations: viewer requests split by weight, each failing with its arm's 5xx
 * probability and taking a log-normal origin latency, counted per arm into the MetricsSource's ArmWindow (the same
 * fixed buckets a metrics store keeps).
 */
import { type Clock, startRollout, tick } from "../../../../src/domain/rollouts/engine.js";
import { judge } from "../../../../src/domain/rollouts/judge.js";
import type { ArmWindow } from "../../../../src/domain/rollouts/metrics.js";
import type { AnalysisSpec, Rollout } from "../../../../src/domain/rollouts/types.js";

export const BOUNDS_MS = [5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 2000, 5000];

export interface ArmModel {
  errorRate: number;
  /** Median latency (ms) and the log-normal's sigma. */
  medianMs: number;
  sigma: number;
}

export interface Traffic {
  requestsPerSecond: number;
  weight: number;
  primary: ArmModel;
  staging: ArmModel;
}

function emptyArm(): { requests: number; status5xx: number; counts: number[] } {
  return { requests: 0, status5xx: 0, counts: new Array<number>(BOUNDS_MS.length + 1).fill(0) };
}

function bucketOf(ms: number): number {
  const i = BOUNDS_MS.findIndex((b) => ms <= b);
  return i < 0 ? BOUNDS_MS.length : i;
}

/** A standard normal draw (Box–Muller). */
function gaussian(random: () => number): number {
  const u = Math.max(random(), Number.MIN_VALUE);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** `seconds` of traffic: the primary's and the staging distribution's windows. */
export function simulateWindow(
  t: Traffic,
  seconds: number,
  random: () => number,
): { primary: ArmWindow; staging: ArmWindow } {
  const arms = { primary: emptyArm(), staging: emptyArm() };
  const n = Math.round(t.requestsPerSecond * seconds);
  for (let i = 0; i < n; i++) {
    const name = random() < t.weight ? "staging" : "primary";
    const model = t[name];
    const arm = arms[name];
    arm.requests++;
    if (random() < model.errorRate) arm.status5xx++;
    const ms = model.medianMs * Math.exp(model.sigma * gaussian(random));
    arm.counts[bucketOf(ms)] = (arm.counts[bucketOf(ms)] ?? 0) + 1;
  }
  const toWindow = (a: ReturnType<typeof emptyArm>): ArmWindow => ({
    requests: a.requests,
    status5xx: a.status5xx,
    latency: { boundsMs: BOUNDS_MS, counts: a.counts },
  });
  return { primary: toWindow(arms.primary), staging: toWindow(arms.staging) };
}

/**
 * A rollout with one long step under `t`, judged `analyses` times by the engine and the judge, one interval
 * apart (a window left open by an inconclusive analysis keeps its traffic): the rollout as it ends up.
 */
export function simulateRollout(t: Traffic, analysis: AnalysisSpec, analyses: number, random: () => number): Rollout {
  const c: Clock = { now: 1_000_000, secondMs: 1000 };
  let r = startRollout(
    {
      id: "sim",
      primaryId: "EPRIMARY",
      stagingId: "ESTAGING",
      policyId: "policy",
      policyEtag: "E1",
      policyWeight: 0.05,
      spec: { steps: [{ weight: t.weight, pauseSeconds: 86_400, approval: false }], analysis, onSuccess: "hold" },
    },
    c,
  ).rollout;
  let pending = { primary: emptyWindow(), staging: emptyWindow() };
  for (let i = 0; i < analyses && r.state !== "aborted"; i++) {
    const now = (r.nextAnalysisAt ?? c.now) + 0;
    const w = simulateWindow(t, analysis.intervalSeconds, random);
    pending = { primary: addWindows(pending.primary, w.primary), staging: addWindows(pending.staging, w.staging) };
    const a = judge({ ...pending, spec: analysis, at: now, from: r.windowFrom, to: now, step: 0, weight: t.weight });
    if (a.verdict !== "inconclusive") pending = { primary: emptyWindow(), staging: emptyWindow() };
    r = tick(r, { ...c, now }, a).rollout;
  }
  return r;
}

function emptyWindow(): ArmWindow {
  return {
    requests: 0,
    status5xx: 0,
    latency: { boundsMs: BOUNDS_MS, counts: new Array<number>(BOUNDS_MS.length + 1).fill(0) },
  };
}

function addWindows(a: ArmWindow, b: ArmWindow): ArmWindow {
  const ca = a.latency?.counts ?? [];
  const cb = b.latency?.counts ?? [];
  return {
    requests: a.requests + b.requests,
    status5xx: a.status5xx + b.status5xx,
    latency: { boundsMs: BOUNDS_MS, counts: cb.map((n, i) => n + (ca[i] ?? 0)) },
  };
}
