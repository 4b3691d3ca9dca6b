/**
 * What may change on a primary or a staging distribution while a continuous deployment policy is attached
 * (reference §5): cache behaviours (including the default), origins, origin groups, custom error responses,
 * geographic restrictions, default root object, logging and comment. Anything else is IllegalUpdate: at attach
 * time the pair may differ only there, and afterwards an update of either may change only those. The staging
 * distribution's path patterns must be the same as, or a subset of, the primary's. Pure.
 */

import { sameData } from "../equal.js";
import { policiesNaming, primariesUsing, stagingOfPolicy } from "../lookup.js";
import { fail, invalid, ok, type Result } from "../result.js";
import type { ControlState, DistributionRecord } from "../state.js";
import { behaviorsOf, type DistributionConfig, isStaging, policyIdOf, usesHttp3 } from "./types.js";

/** Top-level DistributionConfig members that may change under a policy (§5), plus the attachment itself. */
export const MAY_DIFFER: ReadonlySet<string> = new Set([
  "DefaultCacheBehavior",
  "CacheBehaviors",
  "Origins",
  "OriginGroups",
  "CustomErrorResponses",
  "Restrictions",
  "DefaultRootObject",
  "Logging",
  "Comment",
  "ContinuousDeploymentPolicyId",
]);

const ILLEGAL = "One or more fields updated are not supported for continuous deployment.";

/** Members outside §5 whose values differ between two configs (both normalised, so defaults compare equal). */
export function changedOutsideSection5(a: DistributionConfig, b: DistributionConfig): string[] {
  const ra: Record<string, unknown> = { ...a };
  const rb: Record<string, unknown> = { ...b };
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  return [...keys].filter((k) => !MAY_DIFFER.has(k) && !sameData(ra[k], rb[k]));
}

/** Members that always differ between a primary and its staging distribution (identity and attachment). */
const IDENTITY: ReadonlySet<string> = new Set([
  "CallerReference",
  "Aliases",
  "Enabled",
  "Staging",
  "ContinuousDeploymentPolicyId",
]);

/** At attach time, primary and staging may differ only in §5 settings (and their identities). */
function checkPair(primary: DistributionConfig, staging: DistributionConfig): Result<true> {
  const differ = changedOutsideSection5(primary, staging).filter((k) => !IDENTITY.has(k));
  if (differ.length === 0) return ok(true);
  return fail({
    tag: "illegal-update",
    message: `${ILLEGAL} The primary and staging distributions differ in ${differ.join(", ")}.`,
  });
}

const patternsOf = (c: DistributionConfig): Set<string> => new Set(behaviorsOf(c).map((b) => b.PathPattern ?? ""));

function checkPatterns(staging: DistributionConfig, primary: DistributionConfig): Result<true> {
  const allowed = patternsOf(primary);
  const extra = [...patternsOf(staging)].filter((p) => !allowed.has(p));
  if (extra.length === 0) return ok(true);
  return fail({
    tag: "illegal-update",
    message: `${ILLEGAL} The staging distribution's path patterns must be the same as, or a subset of, the primary's (${extra.join(", ")}).`,
  });
}

/**
 * An update of an attached primary or of its staging distribution may change only §5 settings, and Enabled:
 * disabling the primary is how a deletion starts (the Terraform provider disables the policy, then the
 * distribution, then deletes it); disabling a staging distribution a policy names is StagingDistributionInUse
 * (operations.ts).
 */
function checkUnchanged(current: DistributionConfig, next: DistributionConfig): Result<true> {
  const changed = changedOutsideSection5(current, next).filter((k) => k !== "Enabled");
  return changed.length === 0
    ? ok(true)
    : fail({ tag: "illegal-update", message: `${ILLEGAL} (${changed.join(", ")})` });
}

/**
 * Whether `staging` may back a policy attached to `primary` (used when a policy's staging distribution changes):
 * no HTTP/3 on either side, a pair that differs only in §5 settings, path patterns within the primary's.
 */
export function checkPolicyPair(primary: DistributionConfig, staging: DistributionConfig): Result<true> {
  if (usesHttp3(primary) || usesHttp3(staging)) {
    return invalid("HTTP/3 (http3, http2and3) is not supported with continuous deployment.");
  }
  const pair = checkPair(primary, staging);
  return pair.ok ? checkPatterns(staging, primary) : pair;
}

export function checkContinuousDeploymentUpdate(
  s: ControlState,
  current: DistributionRecord,
  next: DistributionConfig,
): Result<true> {
  if (!isStaging(current.config)) {
    const policyId = policyIdOf(next);
    if (policyId === "") return ok(true);
    const staging = stagingOfPolicy(s, policyId);
    // Already attached before this update: only §5 settings may change. Newly attached: the pair may differ
    // only in §5 settings.
    const rule =
      policyIdOf(current.config) === policyId
        ? checkUnchanged(current.config, next)
        : staging === undefined
          ? ok(true)
          : checkPair(next, staging.config);
    if (!rule.ok) return rule;
    return staging === undefined ? ok(true) : checkPatterns(staging.config, next);
  }
  const primaries = policiesNaming(s, current).flatMap((p) => primariesUsing(s, p.id));
  if (primaries.length === 0) return ok(true);
  const unchanged = checkUnchanged(current.config, next);
  if (!unchanged.ok) return unchanged;
  for (const p of primaries) {
    const r = checkPatterns(next, p.config);
    if (!r.ok) return r;
  }
  return ok(true);
}
