/**
 * UpdateDistributionWithStagingConfig (reference §1–§2): the staging config is copied over the primary, which
 * keeps its Id, domain name, Aliases, CallerReference, policy id and Enabled flag; the policy is switched off,
 * which ends every sticky session (epoch bump). Pure.
 */

import { findDistribution, findPolicy, stagingNamesOf } from "../lookup.js";
import { parseEtagPair } from "../preconditions.js";
import { fail, invalid, ok, type Result } from "../result.js";
import { type ControlState, type DistributionRecord, noChange, type OpContext } from "../state.js";
import { normalizeDistributionConfig } from "./normalize.js";
import type { DistributionOutcome } from "./operations.js";
import { cloneConfig, isStaging, policyIdOf } from "./types.js";

export function promoteStaging(
  s: ControlState,
  primaryId: string,
  stagingId: string | undefined,
  ifMatch: string | undefined,
  ctx: OpContext,
): Result<DistributionOutcome> {
  const etags = parseEtagPair(ifMatch);
  if (!etags.ok) return etags;
  if (stagingId === undefined || stagingId === "") return invalid("StagingDistributionId is required.");
  const primary = findDistribution(s, primaryId);
  if (primary === undefined) return fail({ tag: "no-such-distribution", id: primaryId });
  const staging = findDistribution(s, stagingId);
  if (staging === undefined) return fail({ tag: "no-such-distribution", id: stagingId });
  const [primaryEtag, stagingEtag] = etags.value;
  if (primaryEtag !== primary.etag || stagingEtag !== staging.etag) return fail({ tag: "precondition-failed" });
  if (isStaging(primary.config)) return invalid(`${primaryId} is a staging distribution, not a primary.`);
  if (!isStaging(staging.config)) return invalid(`${stagingId} is not a staging distribution.`);
  const policy = findPolicy(s, policyIdOf(primary.config));
  if (policy === undefined || !stagingNamesOf(policy).includes(staging.domainName)) {
    return invalid(
      `${primaryId} has no continuous deployment policy that names the staging distribution ${stagingId}.`,
    );
  }
  const cfg = cloneConfig(staging.config);
  cfg.CallerReference = primary.config.CallerReference;
  cfg.Aliases = primary.config.Aliases;
  cfg.ContinuousDeploymentPolicyId = primary.config.ContinuousDeploymentPolicyId;
  cfg.Enabled = primary.config.Enabled;
  cfg.Staging = false;
  const record: DistributionRecord = {
    ...primary,
    etag: ctx.ids.etag(),
    lastModified: ctx.now,
    config: normalizeDistributionConfig(cfg),
  };
  const wasEnabled = policy.config.Enabled === true;
  const offPolicy = {
    ...policy,
    etag: ctx.ids.etag(),
    lastModified: ctx.now,
    epoch: wasEnabled ? policy.epoch + 1 : policy.epoch,
    config: { ...policy.config, Enabled: false },
  };
  return ok({ change: { ...noChange(), putDistributions: [record], putPolicies: [offPolicy] }, record });
}
