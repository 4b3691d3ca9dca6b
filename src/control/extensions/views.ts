/**
 * The JSON documents the extensions answer with (docs/extensions-api.md): history versions, a preview link, and a
 * rollout's status with what it means at the edge right now. Times go out as ISO-8601. The console reads them by
 * the types at the end of this file (a type-only import: nothing of the worker goes into its bundle).
 */
import type { HistoryVersion } from "../../domain/history.js";
import type { PreviewPlan } from "../../domain/preview.js";
import { stepEndsAt } from "../../domain/rollouts/engine.js";
import { type Analysis, effectiveWeight, type Rollout } from "../../domain/rollouts/types.js";
import type { DistributionRecord } from "../../domain/state.js";
import { iso } from "./json.js";

export function versionView(v: HistoryVersion, current: DistributionRecord | null) {
  return {
    version: v.version,
    etag: v.etag,
    at: v.at,
    ...v.cause,
    current: current !== null && current.etag === v.etag,
  };
}

export function historyView(current: DistributionRecord, versions: HistoryVersion[], kept: number) {
  return {
    distributionId: current.id,
    etag: current.etag,
    kept,
    versions: versions.map((v) => versionView(v, current)),
  };
}

/** `activeAt`: Unix ms from which every edge location honours the link. */
export function previewLinkView(url: string, plan: PreviewPlan & { activeAt: number }) {
  return {
    url,
    distributionId: plan.primaryId,
    host: plan.host,
    path: plan.path,
    arm: plan.arm,
    expiresAt: iso(plan.expiresAt * 1000),
    activeAt: iso(plan.activeAt),
  };
}

function analysisView(a: Analysis) {
  return { ...a, at: iso(a.at), from: iso(a.from), to: iso(a.to), step: a.step };
}

/** When the rollout moves on by itself: the end of a timed step (or, once that passed, the analysis it waits for). */
function nextTransition(r: Rollout, secondMs: number, now: number): number | null {
  const end = stepEndsAt(r, { now, secondMs });
  if (end === null) return null;
  return end > now || r.stepPassed ? end : r.nextAnalysisAt;
}

export function rolloutView(r: Rollout, secondMs: number, now: number) {
  const weight = effectiveWeight(r);
  const step = r.spec.steps[r.stepIndex];
  return {
    id: r.id,
    distributionId: r.primaryId,
    stagingDistributionId: r.stagingId,
    policyId: r.policyId,
    state: r.state,
    currentStep: step === undefined ? null : { index: r.stepIndex, number: r.stepIndex + 1, ...step },
    stepCount: r.spec.steps.length,
    effectiveWeight: weight,
    policyWeight: r.policyWeight,
    weightSource: weight === null ? "policy" : "rollout",
    edge:
      weight === null
        ? `The edge uses the policy's own configuration.`
        : `The edge sends ${weight} of new sessions to staging (the rollout's weight); the policy still shows its own weight ${r.policyWeight} through the CloudFront API.`,
    holding: r.holding,
    nextTransitionAt: iso(nextTransition(r, secondMs, now)),
    nextAnalysisAt: iso(r.nextAnalysisAt),
    stepStartedAt: iso(r.stepStartedAt),
    failures: r.failures,
    steps: r.spec.steps,
    analysis: r.spec.analysis,
    onSuccess: r.spec.onSuccess,
    startedAt: iso(r.startedAt),
    endedAt: iso(r.endedAt),
    abort:
      r.abort === null
        ? null
        : { ...r.abort, analysis: r.abort.analysis === null ? null : analysisView(r.abort.analysis) },
    analyses: r.analyses.map(analysisView),
    analysesOmitted: r.analysesOmitted,
    events: r.events.map((e) => ({ ...e, at: iso(e.at) })),
    eventsOmitted: r.eventsOmitted,
  };
}

/** The documents as they reach a client (JSON.stringify keeps each of them as typed: only strings, numbers, ...). */
export type HistoryJson = ReturnType<typeof historyView>;
export type PreviewLinkJson = ReturnType<typeof previewLinkView>;
export type RolloutJson = ReturnType<typeof rolloutView>;
