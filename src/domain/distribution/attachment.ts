/**
 * Attaching and detaching a continuous deployment policy without sending the whole config (PUT / DELETE
 * .../policy): the current config with only ContinuousDeploymentPolicyId changed, through UpdateDistribution's own
 * rules (one primary per policy, a usable staging distribution, no HTTP/3, §5). If-Match is optional here: when
 * sent it must be the current ETag; without it the change applies to whatever is current, which is safe because it
 * touches one member only. Attaching the policy already attached, or detaching when none is, changes nothing.
 * Pure.
 */
import { findDistribution } from "../lookup.js";
import { checkIfMatch } from "../preconditions.js";
import { fail, invalid, ok, type Result } from "../result.js";
import { type ControlState, noChange, type OpContext } from "../state.js";
import { type DistributionOutcome, updateDistribution } from "./operations.js";
import { cloneConfig, policyIdOf } from "./types.js";

function setAttachment(
  s: ControlState,
  id: string,
  ifMatch: string | undefined,
  policyId: string,
  ctx: OpContext,
): Result<DistributionOutcome> {
  const current = findDistribution(s, id);
  if (current === undefined) return fail({ tag: "no-such-distribution", id });
  if (ifMatch !== undefined) {
    const pre = checkIfMatch(ifMatch, current.etag);
    if (!pre.ok) return pre;
  }
  if (policyIdOf(current.config) === policyId) return ok({ change: noChange(), record: current });
  const cfg = cloneConfig(current.config);
  cfg.ContinuousDeploymentPolicyId = policyId;
  return updateDistribution(s, id, current.etag, cfg, ctx);
}

export function attachPolicy(
  s: ControlState,
  id: string,
  ifMatch: string | undefined,
  policyId: string,
  ctx: OpContext,
): Result<DistributionOutcome> {
  if (policyId.trim() === "") return invalid("policyId must name a continuous deployment policy.");
  return setAttachment(s, id, ifMatch, policyId, ctx);
}

export function detachPolicy(
  s: ControlState,
  id: string,
  ifMatch: string | undefined,
  ctx: OpContext,
): Result<DistributionOutcome> {
  return setAttachment(s, id, ifMatch, "", ctx);
}
