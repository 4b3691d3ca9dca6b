/**
 * The rollout state machine. Pure: each function takes a Rollout, the clock and (for a tick) the judge's latest
 * Analysis, and returns the next Rollout plus the one effect the Durable Object must commit with it (a new edge
 * weight, switching the policy off, or promoting). Nothing here reads a clock or storage.
 *
 * Steps: entering a step commits its weight. A timed step ends once it has run `pauseSeconds` (paused time does
 * not count) and an analysis has passed since it began, so a ramp never advances on missing or inconclusive
 * data; an approval step ends on approve. After the last step: promote or hold. Analyses run every
 * intervalSeconds in every live state (paused and awaiting approval included: staging still serves viewers);
 * windows follow each other from the rollout's start, across steps, each starting where the last conclusive one
 * ended (a window that was inconclusive stays open so the next analysis judges more traffic); `failureLimit`
 * failed analyses abort.
 */
import { fail, ok, type Result } from "../result.js";
import {
  type AbortInfo,
  type Analysis,
  isActive,
  type Rollout,
  type RolloutEvent,
  type RolloutEventType,
} from "./types.js";

export interface Clock {
  now: number;
  /** Real milliseconds per rollout second (ROLLOUT_SECOND_MS: 1000, shorter only in tests). */
  secondMs: number;
}

export type RolloutEffect = "none" | "weight" | "disable-policy" | "promote";

export interface Transition {
  rollout: Rollout;
  effect: RolloutEffect;
}

export const MAX_ANALYSES = 500;
export const MAX_EVENTS = 200;

export type StartInput = Pick<
  Rollout,
  "id" | "primaryId" | "stagingId" | "policyId" | "policyEtag" | "policyWeight" | "spec"
>;

const pct = (w: number): string => `${+(w * 100).toFixed(4)} %`;

function withEvent(r: Rollout, at: number, type: RolloutEventType, message: string): Rollout {
  const events: RolloutEvent[] = [...r.events, { at, type, message }];
  const drop = Math.max(0, events.length - MAX_EVENTS);
  return { ...r, events: events.slice(drop), eventsOmitted: r.eventsOmitted + drop };
}

const intervalMs = (r: Rollout, c: Clock): number => r.spec.analysis.intervalSeconds * c.secondMs;

/** The first step, committed now. */
export function startRollout(input: StartInput, c: Clock): Transition {
  const first = input.spec.steps[0];
  const base: Rollout = {
    ...input,
    state: "progressing",
    stepIndex: 0,
    stepStartedAt: c.now,
    stepElapsedMs: 0,
    runningSince: c.now,
    resumeTo: null,
    stepPassed: false,
    windowFrom: c.now,
    nextAnalysisAt: null,
    failures: 0,
    analyses: [],
    analysesOmitted: 0,
    events: [],
    eventsOmitted: 0,
    startedAt: c.now,
    endedAt: null,
    holding: false,
    abort: null,
  };
  const started = withEvent(
    base,
    c.now,
    "started",
    `rollout of policy ${input.policyId} started (${input.spec.steps.length} steps; the policy's own weight is ${pct(input.policyWeight)})`,
  );
  return { rollout: enterStep(started, 0, c, first?.weight ?? 0), effect: "weight" };
}

function enterStep(r: Rollout, index: number, c: Clock, weight: number): Rollout {
  const step = r.spec.steps[index];
  const approval = step?.approval === true;
  let next: Rollout = {
    ...r,
    state: approval ? "awaiting-approval" : "progressing",
    stepIndex: index,
    stepStartedAt: c.now,
    stepElapsedMs: 0,
    runningSince: c.now,
    resumeTo: null,
    stepPassed: false,
    // windowFrom stays: the windows run on from the last conclusive one, so every request the metrics counted is
    // judged exactly once (the new step's first analysis also judges what arrived since then).
    nextAnalysisAt: c.now + intervalMs(r, c),
  };
  const how = approval ? "until approved" : `for ${step?.pauseSeconds ?? 0} s and a passing analysis`;
  next = withEvent(
    next,
    c.now,
    "step",
    `step ${index + 1}/${r.spec.steps.length}: staging weight ${pct(weight)} ${how}`,
  );
  return approval ? withEvent(next, c.now, "awaiting-approval", `step ${index + 1} waits for approval`) : next;
}

/** When the current timed step's run time is complete (paused time excluded); null when not running a timed step. */
export function stepEndsAt(r: Rollout, c: Clock): number | null {
  const step = r.spec.steps[r.stepIndex];
  if (r.state !== "progressing" || step === undefined || step.pauseSeconds === null || r.runningSince === null) {
    return null;
  }
  return r.runningSince + step.pauseSeconds * c.secondMs - r.stepElapsedMs;
}

/** When the Durable Object should next wake this rollout, or null when nothing is pending. */
export function nextWakeAt(r: Rollout, c: Clock): number | null {
  if (!isActive(r)) return null;
  const end = stepEndsAt(r, c);
  // A step whose time is up but that waits for a passing analysis wakes with the next analysis.
  const endWake = end !== null && (r.stepPassed || end > c.now) ? end : null;
  const times = [r.nextAnalysisAt, endWake].filter((t): t is number => t !== null);
  return times.length === 0 ? null : Math.min(...times);
}

export const analysisDue = (r: Rollout, now: number): boolean =>
  isActive(r) && r.nextAnalysisAt !== null && r.nextAnalysisAt <= now;

function advance(r: Rollout, c: Clock): Transition {
  const index = r.stepIndex + 1;
  const step = r.spec.steps[index];
  if (step !== undefined) return { rollout: enterStep(r, index, c, step.weight), effect: "weight" };
  const done: Rollout = {
    ...r,
    state: "succeeded",
    runningSince: null,
    resumeTo: null,
    nextAnalysisAt: null,
    endedAt: c.now,
    holding: r.spec.onSuccess === "hold",
  };
  const last = r.spec.steps[r.stepIndex]?.weight ?? 0;
  if (r.spec.onSuccess === "promote") {
    return { rollout: withEvent(done, c.now, "succeeded", "every step passed: promoting staging"), effect: "promote" };
  }
  return {
    rollout: withEvent(done, c.now, "succeeded", `every step passed: holding staging at ${pct(last)}`),
    effect: "none",
  };
}

function ended(r: Rollout, c: Clock, info: AbortInfo): Rollout {
  const next: Rollout = {
    ...r,
    state: "aborted",
    runningSince: null,
    resumeTo: null,
    nextAnalysisAt: null,
    endedAt: r.endedAt ?? c.now,
    holding: false,
    abort: info,
  };
  return withEvent(next, c.now, "aborted", `${info.by}: ${info.reason}`);
}

/**
 * The judge's latest analysis (when one was due) and the step clock: records the analysis, aborts at
 * failureLimit, ends a timed step that has run its time and passed.
 */
export function tick(r: Rollout, c: Clock, analysis: Analysis | null): Transition {
  if (!isActive(r)) return { rollout: r, effect: "none" };
  let next = r;
  if (analysis !== null) {
    const analyses = [...r.analyses, analysis];
    const drop = Math.max(0, analyses.length - MAX_ANALYSES);
    next = {
      ...next,
      analyses: analyses.slice(drop),
      analysesOmitted: next.analysesOmitted + drop,
      nextAnalysisAt: c.now + intervalMs(r, c),
      windowFrom: analysis.verdict === "inconclusive" ? next.windowFrom : analysis.to,
    };
    if (analysis.verdict === "pass") next = { ...next, stepPassed: true };
    if (analysis.verdict === "fail") {
      const failures = next.failures + 1;
      const limit = r.spec.analysis.failureLimit;
      const why = analysis.reasons.join("; ");
      next = withEvent(
        { ...next, failures },
        c.now,
        "analysis-failed",
        `analysis failed (${failures}/${limit}): ${why}`,
      );
      if (failures >= limit) {
        const reason = `${failures} failed ${failures === 1 ? "analysis" : "analyses"} (failureLimit ${limit}): ${why}`;
        return {
          rollout: ended(next, c, { by: "analysis", reason, analysis, policyDisabled: true }),
          effect: "disable-policy",
        };
      }
    }
  }
  const end = stepEndsAt(next, c);
  if (end !== null && end <= c.now) {
    if (next.stepPassed) return advance(next, c);
    const last = next.events[next.events.length - 1];
    if (last?.type !== "waiting-for-analysis") {
      next = withEvent(
        next,
        c.now,
        "waiting-for-analysis",
        `step ${next.stepIndex + 1} has run its time and waits for a passing analysis`,
      );
    }
  }
  return { rollout: next, effect: "none" };
}

const stateError = (r: Rollout, action: string): Result<never> =>
  fail({ tag: "invalid-rollout-state", message: `The rollout ${r.id} is ${r.state}: it cannot be ${action}.` });

export function approve(r: Rollout, c: Clock): Result<Transition> {
  if (r.state !== "awaiting-approval") return stateError(r, "approved (only a rollout awaiting approval can)");
  return ok(advance(withEvent(r, c.now, "approved", `step ${r.stepIndex + 1} approved`), c));
}

export function pause(r: Rollout, c: Clock): Result<Transition> {
  if (r.state !== "progressing" && r.state !== "awaiting-approval") return stateError(r, "paused");
  const banked = r.state === "progressing" && r.runningSince !== null ? c.now - r.runningSince : 0;
  const next: Rollout = {
    ...r,
    state: "paused",
    resumeTo: r.state,
    stepElapsedMs: r.stepElapsedMs + banked,
    runningSince: null,
  };
  return ok({ rollout: withEvent(next, c.now, "paused", `paused at step ${r.stepIndex + 1}`), effect: "none" });
}

export function resume(r: Rollout, c: Clock): Result<Transition> {
  if (r.state !== "paused") return stateError(r, "resumed (only a paused rollout can)");
  const next: Rollout = { ...r, state: r.resumeTo ?? "progressing", resumeTo: null, runningSince: c.now };
  return ok({ rollout: withEvent(next, c.now, "resumed", `resumed at step ${r.stepIndex + 1}`), effect: "none" });
}

/** The operator's abort: also allowed on a rollout holding its last weight after success. */
export function abortByOperator(r: Rollout, c: Clock, reason: string): Result<Transition> {
  if (!isActive(r) && !(r.state === "succeeded" && r.holding)) return stateError(r, "aborted");
  const info: AbortInfo = { by: "operator", reason, analysis: null, policyDisabled: true };
  return ok({ rollout: ended(r, c, info), effect: "disable-policy" });
}

/**
 * Something outside the rollout changed what it drives (the policy was updated, detached, promoted): a live
 * rollout ends aborted without touching the policy again; a hold is released. Returns the rollout unchanged when
 * it no longer drives anything.
 */
export function supersede(r: Rollout, c: Clock, reason: string): Rollout {
  if (isActive(r)) return ended(r, c, { by: "superseded", reason, analysis: null, policyDisabled: false });
  if (r.state === "succeeded" && r.holding) {
    return withEvent({ ...r, holding: false }, c.now, "hold-released", reason);
  }
  return r;
}

/** onSuccess "promote" was refused by the distribution rules: the rollout holds its last weight instead. */
export function promoteRefused(r: Rollout, c: Clock, message: string): Rollout {
  return withEvent(
    { ...r, holding: true },
    c.now,
    "promote-failed",
    `promote refused (${message}); holding the last weight`,
  );
}

export function promoted(r: Rollout, c: Clock, message: string): Rollout {
  return withEvent(r, c.now, "promoted", message);
}

export function metricsUnavailable(r: Rollout, c: Clock, message: string): Rollout {
  return withEvent(r, c.now, "metrics-unavailable", message);
}
