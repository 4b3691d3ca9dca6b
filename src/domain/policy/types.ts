/**
 * Continuous deployment policy: the wire config (the AWS model's type, as the shape-driven parser produces it)
 * and the normalised form the rest of the code works with. Parse once (validate.ts), then nothing re-checks.
 */
import type { ContinuousDeploymentPolicyConfig } from "@aws-sdk/client-cloudfront";

export type { ContinuousDeploymentPolicyConfig as PolicyConfig };

export type Traffic =
  | { type: "SingleWeight"; weight: number; stickiness: { idleTTL: number; maximumTTL: number } | null }
  | { type: "SingleHeader"; header: string; value: string };

export interface NormalizedPolicy {
  /** Lower-cased DNS names of the staging distributions the policy names (at least one). */
  stagingDnsNames: string[];
  enabled: boolean;
  traffic: Traffic;
}

/** Reference §3 limits. */
export const POLICY_LIMITS = {
  maxWeight: 0.15,
  minTTL: 300,
  maxTTL: 3600,
  headerPrefix: "aws-cf-cd-",
  maxHeaderLength: 256,
  maxValueLength: 1783,
  maxPolicies: 20,
} as const;

/**
 * Whether going from `before` to `after` must end every sticky session (reference §4: enabling or disabling the
 * policy, switching stickiness on or off; a weight change alone is not a reset).
 */
export function resetsSessions(before: NormalizedPolicy, after: NormalizedPolicy): boolean {
  if (before.enabled !== after.enabled) return true;
  return sticky(before) !== sticky(after);
}

const sticky = (p: NormalizedPolicy): boolean => p.traffic.type === "SingleWeight" && p.traffic.stickiness !== null;
