/**
 * ControlPlane Durable Object: the single writer and source of truth of the control plane. Each write method
 * loads the state, lets a pure operation decide, and applies the Change in one SQLite transaction, all without
 * an await, so validation, write and ETag rotation are atomic. After every commit it republishes the compiled
 * per-host records to KV (publisher.ts); a failed publish is retried by an alarm. Methods are called by
 * the Worker over DurableObject RPC with plain typed objects and return Results.
 *
 * The extensions (docs/extensions-api.md) go through the same commit: every commit records the config versions it
 * writes (history-store.ts) and ends the rollouts whose policy it changed, in the same transaction; rollouts run
 * on the one alarm, shared with publish retries (alarm-schedule.ts); their metrics come from
 * metricsSourceFor(env) (metrics-source.ts, the wiring point for the metrics store).
 */
import { DurableObject } from "cloudflare:workers";
import { findBehaviorPolicy, listBehaviorPolicies } from "../domain/behavior-policies/lookup.js";
import {
  createBehaviorPolicy,
  deleteBehaviorPolicy,
  noSuchPolicy,
  updateBehaviorPolicy,
} from "../domain/behavior-policies/operations.js";
import {
  type BehaviorPolicyRecord,
  type ConfigOf,
  POLICY_OPERATION,
  type PolicyKind,
  type PolicyType,
} from "../domain/behavior-policies/types.js";
import { attachPolicy, detachPolicy } from "../domain/distribution/attachment.js";
import {
  type CopyRequest,
  copyDistribution,
  createDistribution,
  createDistributionWithTags,
  deleteDistribution,
  updateDistribution,
} from "../domain/distribution/operations.js";
import { promoteStaging } from "../domain/distribution/promote.js";
import { type DistributionView, deploymentStatus } from "../domain/distribution/status.js";
import type { DistributionConfig } from "../domain/distribution/types.js";
import {
  createFunction,
  deleteFunction,
  describeFunction,
  type FunctionInput,
  listFunctions,
  publishFunction,
  type StagedFunction,
  updateFunction,
} from "../domain/functions/operations.js";
import type { FunctionRecord, FunctionStage } from "../domain/functions/types.js";
import { type HistoryCause, type HistoryVersion, operationOf, restoreVersion } from "../domain/history.js";
import { findDistribution, findPolicy } from "../domain/lookup.js";
import { type MetricsArms, metricsArms, metricsShards } from "../domain/metrics/arms.js";
import { createPolicy, deletePolicy, updatePolicy } from "../domain/policy/operations.js";
import type { PolicyConfig } from "../domain/policy/types.js";
import { type PreviewPlan, parsePreviewRequest, planPreviewLink } from "../domain/preview.js";
import { fail, ok, type Result } from "../domain/result.js";
import type { Rollout } from "../domain/rollouts/types.js";
import type { Change, ControlState, DistributionRecord, OpContext, PolicyRecord } from "../domain/state.js";
import { resolveResource, type Tag, tagResource, untagResource } from "../domain/tags.js";
import { propagationBoundMs, settings } from "../env.js";
import { AlarmSchedule, PUBLISH_RETRY, rolloutOfJob } from "./alarm-schedule.js";
import { HistoryStore } from "./history-store.js";
import { idSource } from "./ids.js";
import { PreviewStore } from "./preview-store.js";
import { Publisher, publishState } from "./publisher.js";
import { type RolloutAction, RolloutRunner } from "./rollout-runner.js";
import { RolloutStore } from "./rollout-store.js";
import { ControlStore } from "./sql.js";

const RETRY_MS = 5_000;

const api = (operation: string): HistoryCause => ({ madeBy: "api", operation });

export interface VersionedRecord {
  record: DistributionRecord;
  /** Its number in the distribution's history. */
  version: number;
}

/** What POST .../preview-links needs from the plane: what the link says and from when it works at the edge. */
export interface PreviewGrant extends PreviewPlan {
  /** Unix ms from which every edge location honours the link (now, if links for this primary were already live). */
  activeAt: number;
}

export class ControlPlane extends DurableObject<Env> {
  private readonly store: ControlStore;
  private readonly publisher: Publisher;
  private readonly history: HistoryStore;
  private readonly previews: PreviewStore;
  private readonly rolloutStore: RolloutStore;
  private readonly schedule: AlarmSchedule;
  private readonly rollouts: RolloutRunner;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new ControlStore(ctx.storage);
    this.history = new HistoryStore(ctx.storage.sql);
    this.previews = new PreviewStore(ctx.storage.sql);
    this.rolloutStore = new RolloutStore(ctx.storage.sql);
    this.schedule = new AlarmSchedule(ctx.storage);
    this.publisher = new Publisher(
      this.store,
      env.EDGE_CONFIG,
      async (e) => {
        console.error("control-plane: publish to KV failed; retrying from an alarm", e);
        this.schedule.set(PUBLISH_RETRY, Date.now() + RETRY_MS);
        await this.schedule.arm();
      },
      () => ({ rolloutWeights: this.rolloutStore.weights(), previewUntil: this.previews.all() }),
    );
    this.rollouts = new RolloutRunner(
      {
        state: () => this.store.load(),
        context: () => this.context(),
        commit: (before, change, opCtx, cause, also) => this.commit(before, change, opCtx, cause, also),
        publish: () => this.publish(),
      },
      this.rolloutStore,
      this.schedule,
      env,
    );
  }

  private context(): OpContext {
    return {
      now: new Date().toISOString(),
      nextSeq: this.store.nextSeq(),
      ids: idSource(),
      domainSuffix: settings(this.env).domainSuffix,
    };
  }

  /**
   * The one commit: the change, the history versions of the distributions it writes (when `cause` says what made
   * them), whatever the caller adds (`also`), and the end of the rollouts whose policy it changed, all in one
   * transaction.
   */
  private commit(
    before: ControlState,
    change: Change,
    ctx: OpContext,
    cause: HistoryCause | null,
    also: () => void = () => {},
  ): void {
    this.ctx.storage.transactionSync(() => {
      this.store.apply(change, ctx.nextSeq);
      if (cause !== null) this.history.record(before, change, cause, ctx.now);
      also();
      if (cause !== null) this.rollouts.supersedeAfterCommit(operationOf(cause));
    });
  }

  /** Runs a pure operation against the current state and commits its change, without an await. */
  private decideAndCommit<T>(
    op: (s: ControlState, ctx: OpContext) => Result<{ change: Change; value: T }>,
    cause: HistoryCause,
  ): Result<T> {
    const ctx = this.context();
    const before = this.store.load();
    const r = op(before, ctx);
    if (!r.ok) return r;
    this.commit(before, r.value.change, ctx, cause);
    return ok(r.value.value);
  }

  /** decideAndCommit, then publishes. */
  private async write<T>(
    op: (s: ControlState, ctx: OpContext) => Result<{ change: Change; value: T }>,
    cause: HistoryCause,
  ): Promise<Result<T>> {
    const r = this.decideAndCommit(op, cause);
    if (r.ok) await this.publish();
    return r;
  }

  /** A write of distribution `id` that answers with the history version it made (read before any await). */
  private async writeVersioned(
    id: string,
    op: (s: ControlState, ctx: OpContext) => Result<{ change: Change; record: DistributionRecord }>,
    cause: HistoryCause,
  ): Promise<Result<VersionedRecord>> {
    const r = this.decideAndCommit(
      (s, ctx) => withRecord<{ change: Change; record: DistributionRecord }, DistributionRecord>(op(s, ctx)),
      cause,
    );
    if (!r.ok) return r;
    const version = this.history.latestVersion(id);
    await this.publish();
    return ok({ record: r.value, version });
  }

  // Continuous deployment policies.

  createPolicy(cfg: PolicyConfig): Promise<Result<PolicyRecord>> {
    return this.write((s, ctx) => withRecord(createPolicy(s, cfg, ctx)), api("CreateContinuousDeploymentPolicy"));
  }

  getPolicy(id: string): Result<PolicyRecord> {
    const p = findPolicy(this.store.load(), id);
    return p === undefined ? fail({ tag: "no-such-policy", id }) : ok(p);
  }

  updatePolicy(id: string, ifMatch: string | undefined, cfg: PolicyConfig): Promise<Result<PolicyRecord>> {
    return this.write(
      (s, ctx) => withRecord(updatePolicy(s, id, ifMatch, cfg, ctx)),
      api("UpdateContinuousDeploymentPolicy"),
    );
  }

  deletePolicy(id: string, ifMatch: string | undefined): Promise<Result<null>> {
    return this.write((s) => withNull(deletePolicy(s, id, ifMatch)), api("DeleteContinuousDeploymentPolicy"));
  }

  listPolicies(): PolicyRecord[] {
    return this.store.load().policies;
  }

  // Cache, origin request and response headers policies (one set of methods, the kind as a parameter).

  createBehaviorPolicy<K extends PolicyKind>(kind: K, cfg: ConfigOf[K]): Promise<Result<BehaviorPolicyRecord<K>>> {
    return this.write(
      (s, ctx) => withRecord(createBehaviorPolicy(s, kind, cfg, ctx)),
      api(`Create${POLICY_OPERATION[kind]}`),
    );
  }

  getBehaviorPolicy<K extends PolicyKind>(kind: K, id: string): Result<BehaviorPolicyRecord<K>> {
    const p = findBehaviorPolicy(this.store.load(), kind, id);
    return p === undefined ? noSuchPolicy(kind) : ok(p);
  }

  updateBehaviorPolicy<K extends PolicyKind>(
    kind: K,
    id: string,
    ifMatch: string | undefined,
    cfg: ConfigOf[K],
  ): Promise<Result<BehaviorPolicyRecord<K>>> {
    return this.write(
      (s, ctx) => withRecord(updateBehaviorPolicy(s, kind, id, ifMatch, cfg, ctx)),
      api(`Update${POLICY_OPERATION[kind]}`),
    );
  }

  deleteBehaviorPolicy(kind: PolicyKind, id: string, ifMatch: string | undefined): Promise<Result<null>> {
    return this.write(
      (s) => withNull(deleteBehaviorPolicy(s, kind, id, ifMatch)),
      api(`Delete${POLICY_OPERATION[kind]}`),
    );
  }

  listBehaviorPolicies<K extends PolicyKind>(kind: K, type: PolicyType | undefined): BehaviorPolicyRecord<K>[] {
    return listBehaviorPolicies(this.store.load(), kind, type);
  }

  // Distributions: every one returned with its Status (src/domain/distribution/status.ts).

  /** The records of state `s` as the API reports them: with their Status now. */
  private viewer(s: ControlState): (d: DistributionRecord) => DistributionView {
    const bound = propagationBoundMs(settings(this.env));
    const kv = publishState(this.store);
    const now = Date.now();
    return (d) => ({ ...d, status: deploymentStatus(s, d, now, bound, kv) });
  }

  /** Runs a distribution write, then reports the record with its Status once published. */
  private async writeDistribution(
    op: (s: ControlState, ctx: OpContext) => Result<{ change: Change; record: DistributionRecord }>,
    cause: HistoryCause,
  ): Promise<Result<DistributionView>> {
    const r = await this.write<DistributionRecord>((s, ctx) => withRecord(op(s, ctx)), cause);
    if (!r.ok) return r;
    return ok(this.viewer(this.store.load())(r.value));
  }

  /** A store from before Status was tracked has never recorded a publish: publish once so Status can be told. */
  private async readable(): Promise<ControlState> {
    if (publishState(this.store).asOf === "") await this.publish();
    return this.store.load();
  }

  createDistribution(cfg: DistributionConfig): Promise<Result<DistributionView>> {
    return this.writeDistribution((s, ctx) => createDistribution(s, cfg, ctx), api("CreateDistribution"));
  }

  createDistributionWithTags(cfg: DistributionConfig, tags: Tag[]): Promise<Result<DistributionView>> {
    return this.writeDistribution(
      (s, ctx) => createDistributionWithTags(s, cfg, tags, ctx),
      api("CreateDistributionWithTags"),
    );
  }

  async getDistribution(id: string): Promise<Result<DistributionView>> {
    const s = await this.readable();
    const d = findDistribution(s, id);
    return d === undefined ? fail({ tag: "no-such-distribution", id }) : ok(this.viewer(s)(d));
  }

  updateDistribution(
    id: string,
    ifMatch: string | undefined,
    cfg: DistributionConfig,
  ): Promise<Result<DistributionView>> {
    return this.writeDistribution((s, ctx) => updateDistribution(s, id, ifMatch, cfg, ctx), api("UpdateDistribution"));
  }

  deleteDistribution(id: string, ifMatch: string | undefined): Promise<Result<null>> {
    return this.write((s) => withNull(deleteDistribution(s, id, ifMatch)), api("DeleteDistribution"));
  }

  async listDistributions(): Promise<DistributionView[]> {
    const s = await this.readable();
    return s.distributions.map(this.viewer(s));
  }

  copyDistribution(req: CopyRequest): Promise<Result<DistributionView>> {
    return this.writeDistribution((s, ctx) => copyDistribution(s, req, ctx), api("CopyDistribution"));
  }

  promoteStaging(
    primaryId: string,
    stagingId: string | undefined,
    ifMatch: string | undefined,
  ): Promise<Result<DistributionView>> {
    return this.writeDistribution((s, ctx) => promoteStaging(s, primaryId, stagingId, ifMatch, ctx), {
      madeBy: "promote",
      operation: "UpdateDistributionWithStagingConfig",
      stagingDistributionId: stagingId ?? "",
    });
  }

  // Tags (TagResource, UntagResource, ListTagsForResource).

  tagResource(arn: string | undefined, tags: Tag[]): Promise<Result<null>> {
    const account = settings(this.env).accountId;
    return this.write(
      (s) => withNull(tagResource(s, arn, account, tags, (r) => this.store.tagsOf(r))),
      api("TagResource"),
    );
  }

  untagResource(arn: string | undefined, keys: string[]): Promise<Result<null>> {
    const account = settings(this.env).accountId;
    return this.write(
      (s) => withNull(untagResource(s, arn, account, keys, (r) => this.store.tagsOf(r))),
      api("UntagResource"),
    );
  }

  listTags(arn: string | undefined): Result<Tag[]> {
    const resource = resolveResource(this.store.load(), arn, settings(this.env).accountId);
    return resource.ok ? ok(this.store.tagsOf(resource.value)) : resource;
  }

  // CloudFront Functions.

  createFunction(name: string, input: FunctionInput): Promise<Result<FunctionRecord>> {
    return this.write((s, ctx) => withRecord(createFunction(s, name, input, ctx)), api("CreateFunction"));
  }

  updateFunction(name: string, ifMatch: string | undefined, input: FunctionInput): Promise<Result<FunctionRecord>> {
    return this.write((s, ctx) => withRecord(updateFunction(s, name, ifMatch, input, ctx)), api("UpdateFunction"));
  }

  /** LIVE := DEVELOPMENT; the publish that follows rewrites every host whose behaviours use the function. */
  publishFunction(name: string, ifMatch: string | undefined): Promise<Result<FunctionRecord>> {
    return this.write((s, ctx) => withRecord(publishFunction(s, name, ifMatch, ctx)), api("PublishFunction"));
  }

  deleteFunction(name: string, ifMatch: string | undefined): Promise<Result<null>> {
    return this.write((s) => withNull(deleteFunction(s, name, ifMatch)), api("DeleteFunction"));
  }

  describeFunction(name: string, stage: FunctionStage): Result<StagedFunction> {
    return describeFunction(this.store.load(), name, stage);
  }

  listFunctions(stage: FunctionStage | undefined): StagedFunction[] {
    return listFunctions(this.store.load(), stage);
  }

  // Extensions: history and restore, attach/detach, preview links, rollouts (docs/extensions-api.md).

  /** Every kept version of a distribution's config, newest first. */
  listHistory(id: string): Result<{ current: DistributionRecord; versions: HistoryVersion[] }> {
    const current = findDistribution(this.store.load(), id);
    if (current === undefined) return fail({ tag: "no-such-distribution", id });
    return ok({ current, versions: this.history.list(id) });
  }

  getHistoryVersion(id: string, version: number): Result<HistoryVersion> {
    if (findDistribution(this.store.load(), id) === undefined) return fail({ tag: "no-such-distribution", id });
    const v = this.history.get(id, version);
    return v === undefined ? fail({ tag: "no-such-version", id, version }) : ok(v);
  }

  restoreVersion(id: string, version: number, ifMatch: string | undefined): Promise<Result<VersionedRecord>> {
    const target = this.history.get(id, version);
    return this.writeVersioned(id, (s, ctx) => restoreVersion(s, id, ifMatch, target, version, ctx), {
      madeBy: "restore",
      restoredFrom: version,
    });
  }

  attachPolicy(id: string, ifMatch: string | undefined, policyId: string): Promise<Result<VersionedRecord>> {
    return this.writeVersioned(id, (s, ctx) => attachPolicy(s, id, ifMatch, policyId, ctx), api("AttachPolicy"));
  }

  detachPolicy(id: string, ifMatch: string | undefined): Promise<Result<VersionedRecord>> {
    return this.writeVersioned(id, (s, ctx) => detachPolicy(s, id, ifMatch, ctx), api("DetachPolicy"));
  }

  /**
   * Records that `primaryId` has a preview link open until its expiry (the edge looks for tokens and pinned
   * sessions only on such hosts) and says what the link is; the caller signs the token.
   */
  async grantPreviewLink(primaryId: string, request: unknown): Promise<Result<PreviewGrant>> {
    const req = parsePreviewRequest(request);
    if (!req.ok) return req;
    const now = Date.now();
    const nowS = Math.floor(now / 1000);
    const plan = planPreviewLink(this.store.load(), primaryId, req.value, nowS);
    if (!plan.ok) return plan;
    const live = this.previews.until(primaryId) > nowS;
    this.previews.extend(primaryId, plan.value.expiresAt, nowS);
    await this.publish();
    const activeAt = live ? now : now + propagationBoundMs(settings(this.env));
    return ok({ ...plan.value, activeAt });
  }

  startRollout(primaryId: string, spec: unknown): Promise<Result<Rollout>> {
    return this.rollouts.start(primaryId, spec);
  }

  getRollout(primaryId: string): Result<Rollout> {
    return this.rollouts.get(primaryId);
  }

  rolloutAction(primaryId: string, action: RolloutAction, reason: string, ifMatch?: string): Promise<Result<Rollout>> {
    return this.rollouts.act(primaryId, action, reason, ifMatch);
  }

  // Publishing.

  /** Republishes everything that changed; resolves once a publish that started after this call has finished. */
  publish(): Promise<void> {
    return this.publisher.publish();
  }

  /** Operator repair: rewrites every record and deletes every stale key, whatever KV is believed to hold. */
  republishAll(): Promise<void> {
    this.store.forgetPublished();
    return this.publisher.publish();
  }

  /** The shared alarm: runs the due jobs (publish retry, rollout steps and analyses), then arms the next one. */
  override async alarm(): Promise<void> {
    const due = this.schedule.takeDue(Date.now());
    for (const job of due) {
      const primaryId = rolloutOfJob(job);
      if (primaryId !== null) await this.rollouts.tick(primaryId);
    }
    // Also the publish retry: publishing is idempotent and writes nothing when KV already matches.
    await this.publish();
    await this.schedule.arm();
  }

  // Telemetry: which distributions a metrics report covers (the counts live in the MetricsStore shards).

  metricsArms(id: string): Result<MetricsArms> {
    return metricsArms(this.store.load(), id);
  }

  metricsShards(): string[] {
    return metricsShards(this.store.load());
  }
}

function withRecord<R extends { record: T; change: Change }, T>(r: Result<R>): Result<{ change: Change; value: T }> {
  return r.ok ? ok({ change: r.value.change, value: r.value.record }) : r;
}

function withNull(r: Result<Change>): Result<{ change: Change; value: null }> {
  return r.ok ? ok({ change: r.value, value: null }) : r;
}
