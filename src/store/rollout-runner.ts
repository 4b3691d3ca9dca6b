/**
 * Runs rollouts inside the ControlPlane Durable Object: the operator's calls (start, approve, pause, resume,
 * abort) and the alarm's ticks feed the pure engine (src/domain/rollouts/engine.ts), and each transition is
 * committed through the plane's single writer with its effect: a new edge weight (published as an overlay on the
 * policy's record), switching the policy off exactly as UpdateContinuousDeploymentPolicy with Enabled=false
 * would (the session epoch moves, so sticky viewers go back to primary), or promoting exactly as
 * UpdateDistributionWithStagingConfig does. Metrics are read through the MetricsSource port before the
 * synchronous decide-and-commit; the rollout is read again after that await, so a concurrent call cannot be lost.
 */
import { promoteStaging } from "../domain/distribution/promote.js";
import type { HistoryCause } from "../domain/history.js";
import { findDistribution, findPolicy } from "../domain/lookup.js";
import { updatePolicy } from "../domain/policy/operations.js";
import { checkIfMatch } from "../domain/preconditions.js";
import { type DomainError, fail, ok, type Result } from "../domain/result.js";
import {
  abortByOperator,
  analysisDue,
  approve,
  type Clock,
  metricsUnavailable,
  nextWakeAt,
  pause,
  promoted,
  promoteRefused,
  resume,
  startRollout,
  supersede,
  type Transition,
  tick,
} from "../domain/rollouts/engine.js";
import { judge } from "../domain/rollouts/judge.js";
import type { ArmsWindow } from "../domain/rollouts/metrics.js";
import { parseRolloutSpec } from "../domain/rollouts/spec.js";
import { rolloutTarget, supersededBy } from "../domain/rollouts/target.js";
import { isActive, type Rollout } from "../domain/rollouts/types.js";
import type { Change, ControlState, OpContext } from "../domain/state.js";
import { settings } from "../env.js";
import { type AlarmSchedule, rolloutJob } from "./alarm-schedule.js";
import { metricsSourceFor } from "./metrics-source.js";
import type { RolloutStore } from "./rollout-store.js";

/** What the runner needs of the ControlPlane: its state, its single commit path, and publishing. */
export interface Plane {
  state(): ControlState;
  context(): OpContext;
  /** Applies `change` (and `also`, e.g. a rollout row) in one transaction, with history when `cause` is given. */
  commit(before: ControlState, change: Change, ctx: OpContext, cause: HistoryCause | null, also: () => void): void;
  publish(): Promise<void>;
}

export type RolloutAction = "approve" | "pause" | "resume" | "abort";

/** A failed tick (e.g. the metrics store threw past its catch) is tried again this much later. */
const RETRY_MS = 5_000;

const messageOf = (e: DomainError): string => ("message" in e ? e.message : e.tag);

export class RolloutRunner {
  constructor(
    private readonly plane: Plane,
    private readonly rollouts: RolloutStore,
    private readonly schedule: AlarmSchedule,
    private readonly env: Env,
  ) {}

  private clock(): Clock {
    return { now: Date.now(), secondMs: settings(this.env).rolloutSecondMs };
  }

  get(primaryId: string): Result<Rollout> {
    const r = this.rollouts.get(primaryId);
    return r === undefined ? fail({ tag: "no-such-rollout", id: primaryId }) : ok(r);
  }

  async start(primaryId: string, raw: unknown): Promise<Result<Rollout>> {
    const target = rolloutTarget(this.plane.state(), primaryId);
    if (!target.ok) return target;
    const running = this.rollouts.get(primaryId);
    if (running !== undefined && isActive(running)) {
      return fail({ tag: "rollout-in-progress", id: primaryId, rolloutId: running.id });
    }
    const spec = parseRolloutSpec(raw, settings(this.env).maxStagingWeight);
    if (!spec.ok) return spec;
    const { policy, staging, weight } = target.value;
    const started = startRollout(
      {
        id: crypto.randomUUID(),
        primaryId,
        stagingId: staging.id,
        policyId: policy.id,
        policyEtag: policy.etag,
        policyWeight: weight,
        spec: spec.value,
      },
      this.clock(),
    );
    return ok(await this.apply(started));
  }

  /** `ifMatch`, when sent, must name the rollout acted on (its id is its ETag): an action meant for a rollout that
   * another has since replaced is PreconditionFailed instead of landing on the new one. */
  async act(
    primaryId: string,
    action: RolloutAction,
    reason: string,
    ifMatch: string | undefined,
  ): Promise<Result<Rollout>> {
    const r = this.rollouts.get(primaryId);
    if (r === undefined) return fail({ tag: "no-such-rollout", id: primaryId });
    if (ifMatch !== undefined) {
      const pre = checkIfMatch(ifMatch, r.id);
      if (!pre.ok) return pre;
    }
    const c = this.clock();
    const t =
      action === "approve"
        ? approve(r, c)
        : action === "pause"
          ? pause(r, c)
          : action === "resume"
            ? resume(r, c)
            : abortByOperator(r, c, reason);
    return t.ok ? ok(await this.apply(t.value)) : t;
  }

  /** The alarm's job for one rollout: an analysis when one is due, then the step clock. */
  async tick(primaryId: string): Promise<void> {
    const r = this.rollouts.get(primaryId);
    if (r === undefined || !isActive(r)) return;
    try {
      await this.tickActive(r);
    } catch (e) {
      console.error(JSON.stringify({ msg: "rollout tick failed; retrying", primaryId, error: String(e) }));
      this.schedule.set(rolloutJob(primaryId), Date.now() + RETRY_MS);
    }
  }

  private async tickActive(r: Rollout): Promise<void> {
    const c0 = this.clock();
    if (!analysisDue(r, c0.now)) {
      await this.apply(tick(r, c0, null));
      return;
    }
    const source = metricsSourceFor(this.env);
    const from = r.windowFrom;
    // The window ends settleMs before now, so it holds every request the source will ever date inside it; until
    // then it is empty (inconclusive, and it stays open).
    const to = Math.max(from, c0.now - source.settleMs);
    let windows: ArmsWindow = { primary: null, staging: null };
    let problem: string | null = null;
    if (to > from) {
      try {
        windows = await source.window(r.primaryId, r.stagingId, from, to);
      } catch (e) {
        problem = `the metrics store failed: ${String(e)}`;
      }
    }
    // The await let other calls in: decide on the rollout as it is now, and only if this analysis is still due.
    const now = this.rollouts.get(r.primaryId);
    if (now === undefined || now.id !== r.id || !isActive(now) || now.windowFrom !== from) return;
    const c = this.clock();
    const analysis = judge({
      primary: windows.primary,
      staging: windows.staging,
      spec: now.spec.analysis,
      at: c.now,
      from,
      to,
      step: now.stepIndex,
      weight: now.spec.steps[now.stepIndex]?.weight ?? 0,
    });
    const noted = problem === null ? now : metricsUnavailable(now, c, problem);
    await this.apply(tick(noted, c, analysis));
  }

  /**
   * Inside a commit's transaction: ends the rollouts whose target the commit changed (the policy updated or
   * switched off by its client, detached, promoted...), without touching the policy again.
   */
  supersedeAfterCommit(operation: string): void {
    const driving = this.rollouts.drivingEdge();
    if (driving.length === 0) return;
    const after = this.plane.state();
    const c = this.clock();
    for (const r of driving) {
      const why = supersededBy(r, after);
      if (why === null) continue;
      this.rollouts.put(supersede(r, c, `${operation}: ${why}`));
      this.schedule.set(rolloutJob(r.primaryId), null);
    }
  }

  /** Commits a transition with its effect, schedules the rollout's next wake-up and publishes. */
  private async apply(t: Transition): Promise<Rollout> {
    const c = this.clock();
    const r = this.commit(t, c);
    this.schedule.set(rolloutJob(r.primaryId), nextWakeAt(r, c));
    await this.schedule.arm();
    if (t.effect !== "none") await this.plane.publish();
    return r;
  }

  private commit(t: Transition, c: Clock): Rollout {
    switch (t.effect) {
      case "none":
      case "weight":
        this.rollouts.put(t.rollout);
        return t.rollout;
      case "disable-policy":
        return this.disablePolicy(t.rollout);
      case "promote":
        return this.promote(t.rollout, c);
      default:
        return t.effect satisfies never;
    }
  }

  /** As UpdateContinuousDeploymentPolicy with Enabled=false: same rules, same epoch bump, same publication. */
  private disablePolicy(r: Rollout): Rollout {
    const before = this.plane.state();
    const ctx = this.plane.context();
    const policy = findPolicy(before, r.policyId);
    const off =
      policy === undefined || policy.config.Enabled !== true
        ? null
        : updatePolicy(before, policy.id, policy.etag, { ...policy.config, Enabled: false }, ctx);
    if (off === null || !off.ok || r.abort === null) {
      const why = off === null ? "the policy was not enabled" : off.ok ? "" : messageOf(off.error);
      console.error(JSON.stringify({ msg: "rollout abort could not disable the policy", rollout: r.id, why }));
      const kept: Rollout = r.abort === null ? r : { ...r, abort: { ...r.abort, policyDisabled: false } };
      this.rollouts.put(kept);
      return kept;
    }
    const done: Rollout = { ...r, policyEtag: off.value.record.etag };
    this.plane.commit(before, off.value.change, ctx, null, () => this.rollouts.put(done));
    return done;
  }

  /** As UpdateDistributionWithStagingConfig; if the rules refuse it now, the rollout holds its last weight. */
  private promote(r: Rollout, c: Clock): Rollout {
    const before = this.plane.state();
    const ctx = this.plane.context();
    const primary = findDistribution(before, r.primaryId);
    const staging = findDistribution(before, r.stagingId);
    const result = promoteStaging(
      before,
      r.primaryId,
      r.stagingId,
      `${primary?.etag ?? ""},${staging?.etag ?? ""}`,
      ctx,
    );
    if (!result.ok) {
      const held = promoteRefused(r, c, messageOf(result.error));
      this.rollouts.put(held);
      return held;
    }
    const done = promoted(
      r,
      c,
      `staging ${r.stagingId} promoted into ${r.primaryId} (ETag ${result.value.record.etag}); the policy is switched off`,
    );
    const cause: HistoryCause = {
      madeBy: "rollout",
      operation: "promote",
      rolloutId: r.id,
      stagingDistributionId: r.stagingId,
    };
    this.plane.commit(before, result.value.change, ctx, cause, () => this.rollouts.put(done));
    return done;
  }
}
