/**
 * The canary judge: staging against primary over the same window, in the manner of Kayenta (relative to the
 * baseline, never an absolute threshold), so an incident that hurts both arms alike does not count against
 * staging. Pure: the windows, the spec and the time come in; an Analysis with its figures and verdict comes out.
 *
 * Errors: a one-sided two-proportion z-test against a margin. H0: staging's 5xx rate exceeds primary's by at most
 * δ = maxErrorRateIncrease; staging fails when H0 is rejected at `confidence`:
 *
 *   z = (p̂s − p̂p − δ − cc) / SE,   cc = (1/ns + 1/np) / 2,   SE = √(p̃s(1−p̃s)/ns + p̃p(1−p̃p)/np),  p̃ = (x+1)/(n+2)
 *
 * Why this test: the margin makes the question "is staging worse by more than we tolerate", so a real but tiny
 * difference under heavy traffic does not abort, and δ is an effect-size floor that the evidence must clear, not
 * merely the point estimate (a 1 % vs 1 % canary at 600 vs 5,400 requests would trip a plain test at 99 % about
 * once in a hundred analyses; against a one-point margin, about once in a million). The continuity correction cc
 * and the variance taken from (x+1)/(n+2) (so it never collapses to 0 when an arm had no errors) keep small counts
 * from triggering; below minRequests per arm the analysis is inconclusive. Fisher's exact test cannot take a
 * margin, and a beta-binomial posterior for a difference needs sampling or numerical integration; this one is a
 * closed form an operator can recompute from the figures shown.
 *
 * Latency: staging's p99 origin latency over primary's, each read from the window's histogram, must not exceed
 * maxLatencyP99Ratio; inconclusive with fewer than minRequests samples on either arm.
 */

import type { ArmWindow } from "./metrics.js";
import { histogramCount, histogramQuantile, normalCdf, normalQuantile } from "./stats.js";
import type { Analysis, AnalysisSpec, ArmFigures, Verdict } from "./types.js";

export interface JudgeInput {
  primary: ArmWindow | null;
  staging: ArmWindow | null;
  spec: AnalysisSpec;
  at: number;
  from: number;
  to: number;
  step: number;
  weight: number;
}

function figures(w: ArmWindow | null): ArmFigures {
  const requests = w === null ? 0 : Math.max(0, w.requests);
  const status5xx = w === null ? 0 : Math.min(requests, Math.max(0, w.status5xx));
  const latency = w?.latency ?? null;
  const samples = latency === null ? 0 : histogramCount(latency);
  const p99 = latency === null ? null : histogramQuantile(latency, 0.99);
  return {
    requests,
    status5xx,
    errorRate: requests > 0 ? status5xx / requests : null,
    latencySamples: samples,
    p99Ms: p99 === null ? null : p99.valueMs,
  };
}

const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;

export function judge(input: JudgeInput): Analysis {
  const { spec } = input;
  const primary = figures(input.primary);
  const staging = figures(input.staging);
  const criticalZ = normalQuantile(spec.confidence);
  const reasons: string[] = [];

  let errorVerdict: Verdict = "inconclusive";
  let increase: number | null = null;
  let z: number | null = null;
  let pValue: number | null = null;
  if (primary.requests < spec.minRequests || staging.requests < spec.minRequests) {
    reasons.push(
      `inconclusive: ${staging.requests} staging and ${primary.requests} primary requests (minRequests ${spec.minRequests} each)`,
    );
  } else {
    const ns = staging.requests;
    const np = primary.requests;
    increase = staging.status5xx / ns - primary.status5xx / np;
    const ps = (staging.status5xx + 1) / (ns + 2);
    const pp = (primary.status5xx + 1) / (np + 2);
    const se = Math.sqrt((ps * (1 - ps)) / ns + (pp * (1 - pp)) / np);
    const cc = (1 / ns + 1 / np) / 2;
    z = (increase - spec.maxErrorRateIncrease - cc) / se;
    pValue = 1 - normalCdf(z);
    errorVerdict = z > criticalZ ? "fail" : "pass";
    const sRate = pct(staging.status5xx / ns);
    const pRate = pct(primary.status5xx / np);
    reasons.push(
      errorVerdict === "fail"
        ? `5xx rate: staging ${sRate} (${staging.status5xx}/${ns}) against primary ${pRate} (${primary.status5xx}/${np}) is more than ${pct(spec.maxErrorRateIncrease)} worse at ${spec.confidence} confidence (z ${z.toFixed(2)} > ${criticalZ.toFixed(2)})`
        : `5xx rate: staging ${sRate} against primary ${pRate}, within ${pct(spec.maxErrorRateIncrease)} (z ${z.toFixed(2)} <= ${criticalZ.toFixed(2)})`,
    );
  }

  let latencyVerdict: Verdict = "inconclusive";
  let p99Ratio: number | null = null;
  if (
    primary.latencySamples >= spec.minRequests &&
    staging.latencySamples >= spec.minRequests &&
    primary.p99Ms !== null &&
    staging.p99Ms !== null
  ) {
    p99Ratio = primary.p99Ms > 0 ? staging.p99Ms / primary.p99Ms : staging.p99Ms > 0 ? Number.POSITIVE_INFINITY : 1;
    latencyVerdict = p99Ratio > spec.maxLatencyP99Ratio ? "fail" : "pass";
    reasons.push(
      `p99 latency: staging ${staging.p99Ms.toFixed(1)} ms against primary ${primary.p99Ms.toFixed(1)} ms, ratio ${p99Ratio.toFixed(2)} ${latencyVerdict === "fail" ? ">" : "<="} ${spec.maxLatencyP99Ratio}`,
    );
  } else if (errorVerdict !== "inconclusive") {
    reasons.push(
      `p99 latency: not judged (${staging.latencySamples} staging and ${primary.latencySamples} primary samples, minRequests ${spec.minRequests})`,
    );
  }

  const verdict: Verdict =
    errorVerdict === "fail" || latencyVerdict === "fail"
      ? "fail"
      : errorVerdict === "inconclusive"
        ? "inconclusive"
        : "pass";
  return {
    at: input.at,
    from: input.from,
    to: input.to,
    step: input.step,
    weight: input.weight,
    primary,
    staging,
    errorRate: { verdict: errorVerdict, increase, z, criticalZ, pValue },
    latency: { verdict: latencyVerdict, p99Ratio },
    verdict,
    reasons,
  };
}
