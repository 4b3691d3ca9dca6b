/**
 * ControlPlane Durable Object: the single writer and source of truth of the control plane. Each write method
 * loads the state, lets a pure operation decide, and applies the Change in one SQLite transaction, all without
 * an await, so validation, write and ETag rotation are atomic. After every commit it republishes the compiled
 * per-host records to KV (publisher.ts); a failed publish is retried by an alarm. Methods are called by
 * the Worker over DurableObject RPC with plain typed objects and return Results.
 */
import { DurableObject } from "cloudflare:workers";
import { findBehaviorPolicy, listBehaviorPolicies } from "../domain/behavior-policies/lookup.js";
import {
  createBehaviorPolicy,
  deleteBehaviorPolicy,
  noSuchPolicy,
  updateBehaviorPolicy,
} from "../domain/behavior-policies/operations.js";
import type { BehaviorPolicyRecord, ConfigOf, PolicyKind, PolicyType } from "../domain/behavior-policies/types.js";
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
import { findDistribution, findPolicy } from "../domain/lookup.js";
import { type MetricsArms, metricsArms, metricsShards } from "../domain/metrics/arms.js";
import { createPolicy, deletePolicy, updatePolicy } from "../domain/policy/operations.js";
import type { PolicyConfig } from "../domain/policy/types.js";
import { fail, ok, type Result } from "../domain/result.js";
import type { Change, ControlState, DistributionRecord, OpContext, PolicyRecord } from "../domain/state.js";
import { resolveResource, type Tag, tagResource, untagResource } from "../domain/tags.js";
import { propagationBoundMs, settings } from "../env.js";
import { idSource } from "./ids.js";
import { Publisher, publishState } from "./publisher.js";
import { ControlStore } from "./sql.js";

const RETRY_MS = 5_000;

export class ControlPlane extends DurableObject<Env> {
  private readonly store: ControlStore;
  private readonly publisher: Publisher;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new ControlStore(ctx.storage);
    this.publisher = new Publisher(this.store, env.EDGE_CONFIG, async (e) => {
      console.error("control-plane: publish to KV failed; retrying from an alarm", e);
      await ctx.storage.setAlarm(Date.now() + RETRY_MS);
    });
  }

  private context(): OpContext {
    return {
      now: new Date().toISOString(),
      nextSeq: this.store.nextSeq(),
      ids: idSource(),
      domainSuffix: settings(this.env).domainSuffix,
    };
  }

  /** Runs a pure operation against the current state and commits its change; then publishes. */
  private async write<T>(
    op: (s: ControlState, ctx: OpContext) => Result<{ change: Change; value: T }>,
  ): Promise<Result<T>> {
    const ctx = this.context();
    const r = op(this.store.load(), ctx);
    if (!r.ok) return r;
    this.store.apply(r.value.change, ctx.nextSeq);
    await this.publish();
    return ok(r.value.value);
  }

  // Continuous deployment policies.

  createPolicy(cfg: PolicyConfig): Promise<Result<PolicyRecord>> {
    return this.write((s, ctx) => withRecord(createPolicy(s, cfg, ctx)));
  }

  getPolicy(id: string): Result<PolicyRecord> {
    const p = findPolicy(this.store.load(), id);
    return p === undefined ? fail({ tag: "no-such-policy", id }) : ok(p);
  }

  updatePolicy(id: string, ifMatch: string | undefined, cfg: PolicyConfig): Promise<Result<PolicyRecord>> {
    return this.write((s, ctx) => withRecord(updatePolicy(s, id, ifMatch, cfg, ctx)));
  }

  deletePolicy(id: string, ifMatch: string | undefined): Promise<Result<null>> {
    return this.write((s) => withNull(deletePolicy(s, id, ifMatch)));
  }

  listPolicies(): PolicyRecord[] {
    return this.store.load().policies;
  }

  // Cache, origin request and response headers policies (one set of methods, the kind as a parameter).

  createBehaviorPolicy<K extends PolicyKind>(kind: K, cfg: ConfigOf[K]): Promise<Result<BehaviorPolicyRecord<K>>> {
    return this.write((s, ctx) => withRecord(createBehaviorPolicy(s, kind, cfg, ctx)));
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
    return this.write((s, ctx) => withRecord(updateBehaviorPolicy(s, kind, id, ifMatch, cfg, ctx)));
  }

  deleteBehaviorPolicy(kind: PolicyKind, id: string, ifMatch: string | undefined): Promise<Result<null>> {
    return this.write((s) => withNull(deleteBehaviorPolicy(s, kind, id, ifMatch)));
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
  ): Promise<Result<DistributionView>> {
    const r = await this.write<DistributionRecord>((s, ctx) => withRecord(op(s, ctx)));
    if (!r.ok) return r;
    return ok(this.viewer(this.store.load())(r.value));
  }

  /** A store from before Status was tracked has never recorded a publish: publish once so Status can be told. */
  private async readable(): Promise<ControlState> {
    if (publishState(this.store).asOf === "") await this.publish();
    return this.store.load();
  }

  createDistribution(cfg: DistributionConfig): Promise<Result<DistributionView>> {
    return this.writeDistribution((s, ctx) => createDistribution(s, cfg, ctx));
  }

  createDistributionWithTags(cfg: DistributionConfig, tags: Tag[]): Promise<Result<DistributionView>> {
    return this.writeDistribution((s, ctx) => createDistributionWithTags(s, cfg, tags, ctx));
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
    return this.writeDistribution((s, ctx) => updateDistribution(s, id, ifMatch, cfg, ctx));
  }

  deleteDistribution(id: string, ifMatch: string | undefined): Promise<Result<null>> {
    return this.write((s) => withNull(deleteDistribution(s, id, ifMatch)));
  }

  async listDistributions(): Promise<DistributionView[]> {
    const s = await this.readable();
    return s.distributions.map(this.viewer(s));
  }

  copyDistribution(req: CopyRequest): Promise<Result<DistributionView>> {
    return this.writeDistribution((s, ctx) => copyDistribution(s, req, ctx));
  }

  promoteStaging(
    primaryId: string,
    stagingId: string | undefined,
    ifMatch: string | undefined,
  ): Promise<Result<DistributionView>> {
    return this.writeDistribution((s, ctx) => promoteStaging(s, primaryId, stagingId, ifMatch, ctx));
  }

  // Tags (TagResource, UntagResource, ListTagsForResource).

  tagResource(arn: string | undefined, tags: Tag[]): Promise<Result<null>> {
    const account = settings(this.env).accountId;
    return this.write((s) => withNull(tagResource(s, arn, account, tags, (r) => this.store.tagsOf(r))));
  }

  untagResource(arn: string | undefined, keys: string[]): Promise<Result<null>> {
    const account = settings(this.env).accountId;
    return this.write((s) => withNull(untagResource(s, arn, account, keys, (r) => this.store.tagsOf(r))));
  }

  listTags(arn: string | undefined): Result<Tag[]> {
    const resource = resolveResource(this.store.load(), arn, settings(this.env).accountId);
    return resource.ok ? ok(this.store.tagsOf(resource.value)) : resource;
  }

  // CloudFront Functions.

  createFunction(name: string, input: FunctionInput): Promise<Result<FunctionRecord>> {
    return this.write((s, ctx) => withRecord(createFunction(s, name, input, ctx)));
  }

  updateFunction(name: string, ifMatch: string | undefined, input: FunctionInput): Promise<Result<FunctionRecord>> {
    return this.write((s, ctx) => withRecord(updateFunction(s, name, ifMatch, input, ctx)));
  }

  /** LIVE := DEVELOPMENT; the publish that follows rewrites every host whose behaviours use the function. */
  publishFunction(name: string, ifMatch: string | undefined): Promise<Result<FunctionRecord>> {
    return this.write((s, ctx) => withRecord(publishFunction(s, name, ifMatch, ctx)));
  }

  deleteFunction(name: string, ifMatch: string | undefined): Promise<Result<null>> {
    return this.write((s) => withNull(deleteFunction(s, name, ifMatch)));
  }

  describeFunction(name: string, stage: FunctionStage): Result<StagedFunction> {
    return describeFunction(this.store.load(), name, stage);
  }

  listFunctions(stage: FunctionStage | undefined): StagedFunction[] {
    return listFunctions(this.store.load(), stage);
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

  override async alarm(): Promise<void> {
    await this.publish();
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
