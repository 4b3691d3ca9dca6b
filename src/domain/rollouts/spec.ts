/**
 * Parses the body of PUT .../rollout (already JSON-decoded, so any shape) into a RolloutSpec. Every member is
 * checked for type and range and unknown members are refused (a typo such as "pauseSecond" must not silently
 * become a step without a pause); missing optional members take the defaults documented in
 * docs/extensions-api.md. Pure.
 */
import { invalid, ok, type Result } from "../result.js";
import type { AnalysisSpec, OnSuccess, RolloutSpec, RolloutStep } from "./types.js";

export const ROLLOUT_LIMITS = {
  maxSteps: 20,
  /** A week, in rollout seconds. */
  maxPauseSeconds: 604_800,
  /** The metrics store keeps one row per minute: shorter windows would judge partial minutes. */
  minIntervalSeconds: 60,
  maxIntervalSeconds: 3_600,
  minConfidence: 0.8,
  maxConfidence: 0.9999,
  maxFailureLimit: 100,
  maxLatencyRatio: 100,
} as const;

export const DEFAULT_ANALYSIS: AnalysisSpec = {
  intervalSeconds: 60,
  minRequests: 100,
  maxErrorRateIncrease: 0.01,
  maxLatencyP99Ratio: 1.5,
  confidence: 0.99,
  failureLimit: 2,
};

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function unknownMember(o: Obj, allowed: readonly string[], where: string): Result<true> {
  const extra = Object.keys(o).find((k) => !allowed.includes(k));
  return extra === undefined ? ok(true) : invalid(`${where} has an unknown member "${extra}".`);
}

function numberIn(v: unknown, name: string, min: number, max: number, integer = false): Result<number> {
  if (typeof v !== "number" || !Number.isFinite(v) || (integer && !Number.isInteger(v)) || v < min || v > max) {
    return invalid(`${name} must be ${integer ? "an integer" : "a number"} from ${min} to ${max}.`);
  }
  return ok(v);
}

export function parseRolloutSpec(raw: unknown, maxWeight: number): Result<RolloutSpec> {
  if (!isObject(raw)) return invalid("The rollout must be a JSON object.");
  const members = unknownMember(raw, ["steps", "analysis", "onSuccess"], "The rollout");
  if (!members.ok) return members;
  if (!Array.isArray(raw.steps) || raw.steps.length === 0 || raw.steps.length > ROLLOUT_LIMITS.maxSteps) {
    return invalid(`steps must be an array of 1 to ${ROLLOUT_LIMITS.maxSteps} steps.`);
  }
  const steps: RolloutStep[] = [];
  for (const [i, s] of raw.steps.entries()) {
    const step = parseStep(s, `steps[${i}]`, maxWeight);
    if (!step.ok) return step;
    steps.push(step.value);
  }
  const analysis = parseAnalysis(raw.analysis);
  if (!analysis.ok) return analysis;
  const onSuccess = raw.onSuccess ?? "hold";
  if (onSuccess !== "promote" && onSuccess !== "hold") return invalid('onSuccess must be "promote" or "hold".');
  return ok({ steps, analysis: analysis.value, onSuccess: onSuccess satisfies OnSuccess });
}

function parseStep(s: unknown, where: string, maxWeight: number): Result<RolloutStep> {
  if (!isObject(s)) return invalid(`${where} must be an object.`);
  const members = unknownMember(s, ["weight", "pauseSeconds", "approval"], where);
  if (!members.ok) return members;
  const weight = numberIn(s.weight, `${where}.weight`, 0, maxWeight);
  if (!weight.ok) return weight;
  if (weight.value === 0) return invalid(`${where}.weight must be above 0 (at most MAX_STAGING_WEIGHT, ${maxWeight}).`);
  if (s.approval !== undefined && typeof s.approval !== "boolean") return invalid(`${where}.approval must be true.`);
  const approval = s.approval === true;
  if (approval === (s.pauseSeconds !== undefined)) {
    return invalid(`${where} must have either pauseSeconds or approval: true (exactly one).`);
  }
  if (approval) return ok({ weight: weight.value, pauseSeconds: null, approval });
  const pause = numberIn(s.pauseSeconds, `${where}.pauseSeconds`, 0, ROLLOUT_LIMITS.maxPauseSeconds, true);
  return pause.ok ? ok({ weight: weight.value, pauseSeconds: pause.value, approval }) : pause;
}

function parseAnalysis(a: unknown): Result<AnalysisSpec> {
  if (a === undefined) return ok(DEFAULT_ANALYSIS);
  if (!isObject(a)) return invalid("analysis must be an object.");
  const members = unknownMember(a, Object.keys(DEFAULT_ANALYSIS), "analysis");
  if (!members.ok) return members;
  const L = ROLLOUT_LIMITS;
  const d = DEFAULT_ANALYSIS;
  const fields: [keyof AnalysisSpec, number, number, boolean][] = [
    ["intervalSeconds", L.minIntervalSeconds, L.maxIntervalSeconds, true],
    ["minRequests", 1, 1_000_000_000, true],
    ["maxErrorRateIncrease", 0, 1, false],
    ["maxLatencyP99Ratio", 1, L.maxLatencyRatio, false],
    ["confidence", L.minConfidence, L.maxConfidence, false],
    ["failureLimit", 1, L.maxFailureLimit, true],
  ];
  const out: AnalysisSpec = { ...d };
  for (const [name, min, max, integer] of fields) {
    const v = a[name];
    if (v === undefined) continue;
    const n = numberIn(v, `analysis.${name}`, min, max, integer);
    if (!n.ok) return n;
    out[name] = n.value;
  }
  return ok(out);
}
