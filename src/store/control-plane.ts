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
  deleteDistribution,
  updateDistribution,
} from "../domain/distribution/operations.js";
import { promoteStaging } from "../domain/distribution/promote.js";
import type { DistributionConfig } from "../domain/distribution/types.js";
import { findDistribution, findPolicy } from "../domain/lookup.js";
import { createPolicy, deletePolicy, updatePolicy } from "../domain/policy/operations.js";
import type { PolicyConfig } from "../domain/policy/types.js";
import { fail, ok, type Result } from "../domain/result.js";
import type { Change, ControlState, DistributionRecord, OpContext, PolicyRecord } from "../domain/state.js";
import { settings } from "../env.js";
import { idSource } from "./ids.js";
import { Publisher } from "./publisher.js";
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

  // Distributions.

  createDistribution(cfg: DistributionConfig): Promise<Result<DistributionRecord>> {
    return this.write((s, ctx) => withRecord(createDistribution(s, cfg, ctx)));
  }

  getDistribution(id: string): Result<DistributionRecord> {
    const d = findDistribution(this.store.load(), id);
    return d === undefined ? fail({ tag: "no-such-distribution", id }) : ok(d);
  }

  updateDistribution(
    id: string,
    ifMatch: string | undefined,
    cfg: DistributionConfig,
  ): Promise<Result<DistributionRecord>> {
    return this.write((s, ctx) => withRecord(updateDistribution(s, id, ifMatch, cfg, ctx)));
  }

  deleteDistribution(id: string, ifMatch: string | undefined): Promise<Result<null>> {
    return this.write((s) => withNull(deleteDistribution(s, id, ifMatch)));
  }

  listDistributions(): DistributionRecord[] {
    return this.store.load().distributions;
  }

  copyDistribution(req: CopyRequest): Promise<Result<DistributionRecord>> {
    return this.write((s, ctx) => withRecord(copyDistribution(s, req, ctx)));
  }

  promoteStaging(
    primaryId: string,
    stagingId: string | undefined,
    ifMatch: string | undefined,
  ): Promise<Result<DistributionRecord>> {
    return this.write((s, ctx) => withRecord(promoteStaging(s, primaryId, stagingId, ifMatch, ctx)));
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
}

function withRecord<R extends { record: T; change: Change }, T>(r: Result<R>): Result<{ change: Change; value: T }> {
  return r.ok ? ok({ change: r.value.change, value: r.value.record }) : r;
}

function withNull(r: Result<Change>): Result<{ change: Change; value: null }> {
  return r.ok ? ok({ change: r.value, value: null }) : r;
}
