/**
 * Rollouts as plain data: what an operator asks for (RolloutSpec, parsed once by spec.ts), the state the engine
 * keeps (Rollout, advanced by engine.ts), and what the judge found (Analysis, judge.ts). Times are Unix
 * milliseconds; the wire layer renders them as ISO-8601.
 */

export interface RolloutStep {
  /** Share of viewers sent to staging while this step runs, 0 < weight <= MAX_STAGING_WEIGHT. */
  weight: number;
  /** A timed step: how long it runs (rollout seconds, see ROLLOUT_SECOND_MS). null for an approval step. */
  pauseSeconds: number | null;
  /** An approval step: it holds until POST .../rollout/approve. */
  approval: boolean;
}

export interface AnalysisSpec {
  /** How often the judge compares the arms, and the length of each window (longer while inconclusive). */
  intervalSeconds: number;
  /** Fewer viewer requests than this on either arm: the analysis is inconclusive. */
  minRequests: number;
  /** The 5xx rate increase (absolute, 0.01 = one percentage point) staging may show over primary. */
  maxErrorRateIncrease: number;
  /** Staging's p99 origin latency may be at most this multiple of primary's. */
  maxLatencyP99Ratio: number;
  /** Confidence of the one-sided error-rate test, e.g. 0.99. */
  confidence: number;
  /** Failed analyses at which the rollout aborts. */
  failureLimit: number;
}

export type OnSuccess = "promote" | "hold";

export interface RolloutSpec {
  steps: RolloutStep[];
  analysis: AnalysisSpec;
  onSuccess: OnSuccess;
}

export type RolloutState = "progressing" | "paused" | "awaiting-approval" | "succeeded" | "aborted";

export type Verdict = "pass" | "fail" | "inconclusive";

export interface ArmFigures {
  requests: number;
  status5xx: number;
  /** status5xx / requests; null without requests. */
  errorRate: number | null;
  latencySamples: number;
  /** p99 origin latency read from the histogram; null without samples. */
  p99Ms: number | null;
}

export interface Analysis {
  /** When it ran, and the window [from, to) it judged. */
  at: number;
  from: number;
  to: number;
  /** The step (0-based) and the edge weight in force when it ran. */
  step: number;
  weight: number;
  primary: ArmFigures;
  staging: ArmFigures;
  errorRate: {
    verdict: Verdict;
    /** staging's rate minus primary's. */
    increase: number | null;
    /** The test statistic and its critical value at `confidence` (see judge.ts). */
    z: number | null;
    criticalZ: number;
    /** P(a z this large | staging is worse by exactly maxErrorRateIncrease). */
    pValue: number | null;
  };
  latency: {
    verdict: Verdict;
    /** staging's p99 over primary's. */
    p99Ratio: number | null;
  };
  verdict: Verdict;
  /** Why, in words, with the numbers. */
  reasons: string[];
}

export type RolloutEventType =
  | "started"
  | "step"
  | "analysis-failed"
  | "awaiting-approval"
  | "approved"
  | "paused"
  | "resumed"
  | "waiting-for-analysis"
  | "succeeded"
  | "promoted"
  | "promote-failed"
  | "hold-released"
  | "aborted"
  | "metrics-unavailable";

export interface RolloutEvent {
  at: number;
  type: RolloutEventType;
  message: string;
}

/** Why a rollout ended aborted, with the figures when the judge decided it. */
export interface AbortInfo {
  by: "operator" | "analysis" | "superseded";
  reason: string;
  /** The failing analysis, when the judge aborted. */
  analysis: Analysis | null;
  /** Whether the abort switched the policy off (not when something else had already changed the policy). */
  policyDisabled: boolean;
}

export interface Rollout {
  id: string;
  primaryId: string;
  stagingId: string;
  policyId: string;
  /** The policy's ETag when the rollout last wrote or checked it: any other update of the policy ends the rollout. */
  policyEtag: string;
  /** The weight the policy's client set (what the CloudFront API keeps showing). */
  policyWeight: number;
  spec: RolloutSpec;
  state: RolloutState;
  stepIndex: number;
  /** When the current step's weight was committed. */
  stepStartedAt: number;
  /** Run time the current step banked before the last pause. */
  stepElapsedMs: number;
  /** Since when the step's clock runs; null while paused and once ended. */
  runningSince: number | null;
  /** The state a pause returns to on resume. */
  resumeTo: "progressing" | "awaiting-approval" | null;
  /** An analysis has passed since the current step began (a timed step needs one to end). */
  stepPassed: boolean;
  /**
   * Start of the window the next analysis judges: the rollout's start, then the end of the last conclusive window
   * (it stays put while analyses are inconclusive, and across a step change).
   */
  windowFrom: number;
  nextAnalysisAt: number | null;
  failures: number;
  analyses: Analysis[];
  /** Analyses dropped from the front of `analyses` to bound the record. */
  analysesOmitted: number;
  events: RolloutEvent[];
  eventsOmitted: number;
  startedAt: number;
  endedAt: number | null;
  /** Succeeded with onSuccess "hold": the last step's weight stays in force at the edge. */
  holding: boolean;
  abort: AbortInfo | null;
}

/** A rollout that still drives the edge: running, paused, waiting for approval, or holding after success. */
export const drivesEdge = (r: Rollout): boolean => isActive(r) || (r.state === "succeeded" && r.holding);

export const isActive = (r: Rollout): boolean =>
  r.state === "progressing" || r.state === "paused" || r.state === "awaiting-approval";

/** The weight the edge uses while the rollout drives it, else null. */
export function effectiveWeight(r: Rollout): number | null {
  if (!drivesEdge(r)) return null;
  return r.spec.steps[r.stepIndex]?.weight ?? null;
}
