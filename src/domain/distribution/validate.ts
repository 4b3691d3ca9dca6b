/**
 * The rules a distribution config must meet on its own, whatever else exists, each member as CloudFront validates
 * it (CreateDistribution/UpdateDistribution error shapes of the service model, the Developer Guide's values and
 * quotas): the distribution-wide settings (validate-settings.ts), origins and origin groups (validate-origins.ts),
 * and cache behaviours (validate-behaviors.ts); and that a staging distribution has no aliases and no policy.
 * Rules against the rest of the state live in operations.ts. Pure.
 */
import { managedOnly, type PolicyExists } from "../behavior-policies/lookup.js";
import { invalid, ok, type Result } from "../result.js";
import { behaviorsOf, type DistributionConfig, isStaging, policyIdOf } from "./types.js";
import { validateBehaviors } from "./validate-behaviors.js";
import { validateOrigins } from "./validate-origins.js";
import { validateSettings } from "./validate-settings.js";

/** `exists` says which cache, origin request and response headers policy ids the behaviours may name. */
export function validateDistributionConfig(c: DistributionConfig, exists: PolicyExists = managedOnly): Result<true> {
  const settings = validateSettings(c);
  if (!settings.ok) return settings;
  if (isStaging(c) && (c.Aliases?.Items ?? []).length > 0) {
    return invalid("A staging distribution cannot have Aliases (CNAMEs).");
  }
  if (isStaging(c) && policyIdOf(c) !== "") {
    return invalid("A staging distribution cannot have a continuous deployment policy.");
  }
  const targets = validateOrigins(c.Origins?.Items ?? [], c.OriginGroups?.Items ?? []);
  if (!targets.ok) return targets;
  const def = c.DefaultCacheBehavior;
  if (def === undefined) return invalid("The parameter DefaultCacheBehavior is required.");
  const behaviors = validateBehaviors(def, behaviorsOf(c), targets.value, exists);
  if (!behaviors.ok) return behaviors;
  return ok(true);
}
