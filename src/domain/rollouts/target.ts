/**
 * What a rollout drives, read from the control-plane state: an enabled primary with an attached, enabled
 * SingleWeight policy whose staging distribution exists and is enabled. Checked when a rollout starts and again
 * whenever the state changes under it (supersededBy), so a rollout never drives a policy its client has since
 * changed, detached or switched off. Pure.
 */
import { isEnabled, isStaging, policyIdOf } from "../distribution/types.js";
import { findDistribution, findPolicy, stagingOfPolicy } from "../lookup.js";
import { normalizePolicy } from "../policy/validate.js";
import { fail, invalid, type Result } from "../result.js";
import type { ControlState, DistributionRecord, PolicyRecord } from "../state.js";
import type { Rollout } from "./types.js";

export interface RolloutTarget {
  primary: DistributionRecord;
  policy: PolicyRecord;
  staging: DistributionRecord;
  /** The weight the policy's client set. */
  weight: number;
}

const refuse = (message: string) => fail({ tag: "no-enabled-weight-policy" as const, message });

export function rolloutTarget(s: ControlState, primaryId: string): Result<RolloutTarget> {
  const primary = findDistribution(s, primaryId);
  if (primary === undefined) return fail({ tag: "no-such-distribution", id: primaryId });
  if (isStaging(primary.config)) return invalid(`${primaryId} is a staging distribution; roll out on its primary.`);
  if (!isEnabled(primary.config)) return invalid(`The distribution ${primaryId} is disabled.`);
  const policyId = policyIdOf(primary.config);
  const policy = policyId === "" ? undefined : findPolicy(s, policyId);
  if (policy === undefined) return refuse(`No continuous deployment policy is attached to ${primaryId}.`);
  const norm = normalizePolicy(policy.config);
  if (!norm.ok || norm.value.traffic.type !== "SingleWeight") {
    return refuse(`The policy ${policy.id} attached to ${primaryId} is not a SingleWeight policy.`);
  }
  if (!norm.value.enabled) return refuse(`The SingleWeight policy ${policy.id} attached to ${primaryId} is disabled.`);
  const staging = stagingOfPolicy(s, policy.id);
  if (staging === undefined) return refuse(`The policy ${policy.id} names no existing staging distribution.`);
  if (!isEnabled(staging.config)) return refuse(`The staging distribution ${staging.id} is disabled.`);
  return { ok: true, value: { primary, policy, staging, weight: norm.value.traffic.weight } };
}

/** Why the rollout can no longer drive its target in state `s`, or null when it still can. */
export function supersededBy(r: Rollout, s: ControlState): string | null {
  const t = rolloutTarget(s, r.primaryId);
  if (!t.ok) {
    const e = t.error;
    return "message" in e ? e.message : `the distribution ${r.primaryId} no longer exists`;
  }
  if (t.value.policy.id !== r.policyId) return `another policy (${t.value.policy.id}) was attached to ${r.primaryId}`;
  if (t.value.staging.id !== r.stagingId) return `the policy now names another staging distribution`;
  if (t.value.policy.etag !== r.policyEtag) {
    return `the policy ${r.policyId} was updated through the CloudFront API (its own weight is now in force)`;
  }
  return null;
}
