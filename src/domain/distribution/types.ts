/**
 * Distribution config: the AWS model's type (as the shape-driven parser produces it; members the edge does not
 * act on are kept verbatim so GetDistributionConfig round-trips) and small accessors with CloudFront's defaults,
 * so the rest of the code does not repeat `?? …` for optional members.
 */
import type { CacheBehavior, DefaultCacheBehavior, DistributionConfig } from "@aws-sdk/client-cloudfront";

export type { CacheBehavior, DefaultCacheBehavior, DistributionConfig };

export const isStaging = (c: DistributionConfig): boolean => c.Staging === true;
export const isEnabled = (c: DistributionConfig): boolean => c.Enabled === true;
export const aliasesOf = (c: DistributionConfig): string[] => (c.Aliases?.Items ?? []).map((a) => a.toLowerCase());
/** The attached policy id, "" when none. */
export const policyIdOf = (c: DistributionConfig): string => c.ContinuousDeploymentPolicyId ?? "";
export const behaviorsOf = (c: DistributionConfig): CacheBehavior[] => c.CacheBehaviors?.Items ?? [];

/** HTTP versions CloudFront refuses while continuous deployment is in use (reference §3). */
export const usesHttp3 = (c: DistributionConfig): boolean => c.HttpVersion === "http3" || c.HttpVersion === "http2and3";

/** A deep copy through JSON: configs are plain data (no Dates, no undefined that matters). */
export const cloneConfig = (c: DistributionConfig): DistributionConfig => structuredClone(c);
