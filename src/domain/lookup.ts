/** Queries over a ControlState snapshot that several operations share. Pure. */
import { aliasesOf, isStaging, policyIdOf } from "./distribution/types.js";
import type { ControlState, DistributionRecord, PolicyRecord } from "./state.js";

export const findDistribution = (s: ControlState, id: string): DistributionRecord | undefined =>
  s.distributions.find((d) => d.id === id);

export const findPolicy = (s: ControlState, id: string): PolicyRecord | undefined =>
  s.policies.find((p) => p.id === id);

export const distributionByDomain = (s: ControlState, domain: string): DistributionRecord | undefined =>
  s.distributions.find((d) => d.domainName === domain.toLowerCase());

/** Lower-cased staging DNS names a policy names. */
export const stagingNamesOf = (p: PolicyRecord): string[] =>
  (p.config.StagingDistributionDnsNames?.Items ?? []).map((n) => n.toLowerCase());

/** Policies that name the staging distribution `d`. */
export const policiesNaming = (s: ControlState, d: DistributionRecord): PolicyRecord[] =>
  s.policies.filter((p) => stagingNamesOf(p).includes(d.domainName));

/** Distributions (primaries) to which policy `policyId` is attached. */
export const primariesUsing = (s: ControlState, policyId: string): DistributionRecord[] =>
  s.distributions.filter((d) => policyIdOf(d.config) === policyId);

export const stagingCount = (s: ControlState): number => s.distributions.filter((d) => isStaging(d.config)).length;

/** The first alias of `aliases` that another distribution (not `exceptId`) already uses, or undefined. */
export function aliasInUse(s: ControlState, aliases: string[], exceptId: string | null): string | undefined {
  const used = new Set(s.distributions.filter((d) => d.id !== exceptId).flatMap((d) => aliasesOf(d.config)));
  return aliases.find((a) => used.has(a));
}

/** The staging distribution a policy names (its first DNS name), when it exists. */
export function stagingOfPolicy(s: ControlState, policyId: string): DistributionRecord | undefined {
  const p = findPolicy(s, policyId);
  const name = p === undefined ? undefined : stagingNamesOf(p)[0];
  return name === undefined ? undefined : distributionByDomain(s, name);
}
