/**
 * Create, update, delete and copy of distributions against the whole control-plane state (reference §2–§3):
 * CallerReference and alias uniqueness, attach only by update (omitted id keeps, empty id detaches), one primary
 * per policy, no HTTP/3 under a policy, staging distributions a policy names cannot be disabled or deleted.
 * Promotion lives in promote.ts. Pure: each returns the Change to apply, or a ControlError.
 */

import { checkPolicyAssociations } from "../behavior-policies/associations.js";
import { existsIn } from "../behavior-policies/lookup.js";
import { checkFunctionAssociations, checkFunctionQuota } from "../functions/associations.js";
import {
  aliasInUse,
  findDistribution,
  findPolicy,
  policiesNaming,
  primariesUsing,
  stagingCount,
  stagingOfPolicy,
} from "../lookup.js";
import { checkIfMatch } from "../preconditions.js";
import { fail, invalid, ok, type Result } from "../result.js";
import { type Change, type ControlState, type DistributionRecord, noChange, type OpContext } from "../state.js";
import { distributionResource, parseTags, type Tag } from "../tags.js";
import { checkContinuousDeploymentUpdate } from "./continuous-deployment.js";
import { normalizeDistributionConfig } from "./normalize.js";
import {
  aliasesOf,
  cloneConfig,
  type DistributionConfig,
  isEnabled,
  isStaging,
  policyIdOf,
  usesHttp3,
} from "./types.js";
import { validateDistributionConfig } from "./validate.js";

export const MAX_STAGING_DISTRIBUTIONS = 20;

export interface DistributionOutcome {
  change: Change;
  record: DistributionRecord;
}

function newRecord(cfg: DistributionConfig, ctx: OpContext): DistributionRecord {
  return {
    id: ctx.ids.distributionId(),
    etag: ctx.ids.etag(),
    domainName: `${ctx.ids.domainLabel()}.${ctx.domainSuffix}`,
    lastModified: ctx.now,
    seq: ctx.nextSeq,
    config: cfg,
  };
}

function checkNew(s: ControlState, cfg: DistributionConfig): Result<true> {
  const twin = s.distributions.find((d) => d.config.CallerReference === cfg.CallerReference);
  if (twin !== undefined) return fail({ tag: "distribution-already-exists", id: twin.id });
  const cname = aliasInUse(s, aliasesOf(cfg), null);
  if (cname !== undefined) return fail({ tag: "cname-already-exists", cname });
  if (isStaging(cfg) && stagingCount(s) >= MAX_STAGING_DISTRIBUTIONS) {
    return fail({ tag: "too-many-staging-distributions", limit: MAX_STAGING_DISTRIBUTIONS });
  }
  return ok(true);
}

export function createDistribution(
  s: ControlState,
  cfg: DistributionConfig,
  ctx: OpContext,
): Result<DistributionOutcome> {
  if (policyIdOf(cfg) !== "")
    return invalid("Continuous deployment policy is not supported during distribution creation.");
  const valid = validateDistributionConfig(cfg, existsIn(s));
  if (!valid.ok) return valid;
  const normal = normalizeDistributionConfig(cfg);
  const associations = checkPolicyAssociations(s, normal, null);
  if (!associations.ok) return associations;
  const fns = checkFunctionAssociations(normal, s.functions ?? []);
  if (!fns.ok) return fns;
  const quota = checkFunctionQuota(s, normal, null);
  if (!quota.ok) return quota;
  const fresh = checkNew(s, normal);
  if (!fresh.ok) return fresh;
  const record = newRecord(normal, ctx);
  return ok({ change: { ...noChange(), putDistributions: [record] }, record });
}

/** CreateDistributionWithTags: the tags are checked first, then the distribution is created with them. */
export function createDistributionWithTags(
  s: ControlState,
  cfg: DistributionConfig,
  sentTags: readonly Tag[],
  ctx: OpContext,
): Result<DistributionOutcome> {
  const tags = parseTags(sentTags);
  if (!tags.ok) return tags;
  const created = createDistribution(s, cfg, ctx);
  if (!created.ok) return created;
  const { change, record } = created.value;
  const setTags = tags.value.length === 0 ? [] : [{ resource: distributionResource(record.id), tags: tags.value }];
  return ok({ change: { ...change, setTags }, record });
}

export function updateDistribution(
  s: ControlState,
  id: string,
  ifMatch: string | undefined,
  sent: DistributionConfig,
  ctx: OpContext,
): Result<DistributionOutcome> {
  const current = findDistribution(s, id);
  if (current === undefined) return fail({ tag: "no-such-distribution", id });
  const pre = checkIfMatch(ifMatch, current.etag);
  if (!pre.ok) return pre;
  if (sent.CallerReference !== current.config.CallerReference) {
    return fail({ tag: "illegal-update", message: "CallerReference cannot be changed." });
  }
  if (isStaging(sent) !== isStaging(current.config)) {
    return fail({ tag: "illegal-update", message: "Staging cannot be changed." });
  }
  // Omitting ContinuousDeploymentPolicyId keeps the attachment; sending it empty detaches (TF #34511).
  const kept = cloneConfig(sent);
  if (sent.ContinuousDeploymentPolicyId === undefined && current.config.ContinuousDeploymentPolicyId !== undefined) {
    kept.ContinuousDeploymentPolicyId = current.config.ContinuousDeploymentPolicyId;
  }
  const valid = validateDistributionConfig(kept, existsIn(s));
  if (!valid.ok) return valid;
  const cfg = normalizeDistributionConfig(kept);
  const associations = checkPolicyAssociations(s, cfg, id);
  if (!associations.ok) return associations;
  const fns = checkFunctionAssociations(cfg, s.functions ?? []);
  if (!fns.ok) return fns;
  const quota = checkFunctionQuota(s, cfg, id);
  if (!quota.ok) return quota;
  const cname = aliasInUse(s, aliasesOf(cfg), id);
  if (cname !== undefined) return fail({ tag: "cname-already-exists", cname });

  const policyId = policyIdOf(cfg);
  if (policyId !== "") {
    const policy = findPolicy(s, policyId);
    if (policy === undefined) return fail({ tag: "no-such-policy", id: policyId });
    const other = primariesUsing(s, policyId).find((d) => d.id !== id);
    if (other !== undefined) {
      return fail({
        tag: "policy-in-use",
        message: `The continuous deployment policy ${policyId} is already attached to distribution ${other.id}.`,
      });
    }
    const staging = stagingOfPolicy(s, policyId);
    if (staging === undefined || staging.id === id) {
      return invalid(`The continuous deployment policy ${policyId} does not name a usable staging distribution.`);
    }
    if (usesHttp3(cfg) || usesHttp3(staging.config)) {
      return invalid("HTTP/3 (http3, http2and3) is not supported with continuous deployment.");
    }
  }
  if (isStaging(cfg)) {
    const namers = policiesNaming(s, current);
    if (namers.length > 0 && !isEnabled(cfg) && isEnabled(current.config)) {
      return fail({
        tag: "staging-in-use",
        message: `The staging distribution ${id} is used by continuous deployment policy ${namers[0]?.id ?? ""}.`,
      });
    }
    const attached = namers.some((p) => primariesUsing(s, p.id).length > 0);
    if (attached && usesHttp3(cfg)) {
      return invalid("HTTP/3 (http3, http2and3) is not supported with continuous deployment.");
    }
  }
  const cd = checkContinuousDeploymentUpdate(s, current, cfg);
  if (!cd.ok) return cd;
  const record: DistributionRecord = { ...current, etag: ctx.ids.etag(), lastModified: ctx.now, config: cfg };
  return ok({ change: { ...noChange(), putDistributions: [record] }, record });
}

export function deleteDistribution(s: ControlState, id: string, ifMatch: string | undefined): Result<Change> {
  const current = findDistribution(s, id);
  if (current === undefined) return fail({ tag: "no-such-distribution", id });
  const pre = checkIfMatch(ifMatch, current.etag);
  if (!pre.ok) return pre;
  if (isEnabled(current.config)) return fail({ tag: "distribution-not-disabled", id });
  const namers = policiesNaming(s, current);
  if (namers.length > 0) {
    return fail({
      tag: "staging-in-use",
      message: `The staging distribution ${id} is used by continuous deployment policy ${namers[0]?.id ?? ""}.`,
    });
  }
  return ok({ ...noChange(), deleteDistributions: [id] });
}

export interface CopyRequest {
  primaryId: string;
  /** The `Staging` header: CloudFront accepts only true. */
  staging: boolean;
  ifMatch: string | undefined;
  callerReference: string;
  enabled: boolean | undefined;
}

export function copyDistribution(s: ControlState, req: CopyRequest, ctx: OpContext): Result<DistributionOutcome> {
  const primary = findDistribution(s, req.primaryId);
  if (primary === undefined) return fail({ tag: "no-such-distribution", id: req.primaryId });
  if (req.ifMatch !== undefined) {
    const pre = checkIfMatch(req.ifMatch, primary.etag);
    if (!pre.ok) return pre;
  }
  if (!req.staging) return invalid("CopyDistribution needs the header Staging: true.");
  if (isStaging(primary.config)) return invalid("A staging distribution cannot be copied.");
  if (req.callerReference === "") return invalid("CallerReference must not be empty.");
  const cfg = cloneConfig(primary.config);
  cfg.CallerReference = req.callerReference;
  cfg.Staging = true;
  cfg.Enabled = req.enabled ?? true;
  // A staging distribution has no aliases and no policy (reference §3).
  cfg.Aliases = { Quantity: 0 };
  cfg.ContinuousDeploymentPolicyId = "";
  const normal = normalizeDistributionConfig(cfg);
  const fresh = checkNew(s, normal);
  if (!fresh.ok) return fresh;
  const record = newRecord(normal, ctx);
  return ok({ change: { ...noChange(), putDistributions: [record] }, record });
}
