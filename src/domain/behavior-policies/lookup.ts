/**
 * Queries over the state for cache, origin request and response headers policies: a policy by kind and id
 * (custom or managed), which distributions reference one, and the references check a DistributionConfig's
 * behaviours need. Pure.
 */
import { behaviorsOf, type DistributionConfig } from "../distribution/types.js";
import type { ControlState, DistributionRecord } from "../state.js";
import { isManaged, managedPolicies, managedPolicy } from "./managed.js";
import { BEHAVIOR_MEMBER, type BehaviorPolicyRecord, type PolicyKind } from "./types.js";

const isKind = <K extends PolicyKind>(kind: K, p: BehaviorPolicyRecord): p is BehaviorPolicyRecord<K> =>
  p.kind === kind;

export const customPolicies = <K extends PolicyKind>(s: ControlState, kind: K): BehaviorPolicyRecord<K>[] =>
  s.behaviorPolicies.filter((p): p is BehaviorPolicyRecord<K> => isKind(kind, p));

export function findCustomPolicy<K extends PolicyKind>(
  s: ControlState,
  kind: K,
  id: string,
): BehaviorPolicyRecord<K> | undefined {
  return customPolicies(s, kind).find((p) => p.id === id);
}

/** A policy of `kind` by id: a custom one from the state, or a managed one. */
export function findBehaviorPolicy<K extends PolicyKind>(
  s: ControlState,
  kind: K,
  id: string,
): BehaviorPolicyRecord<K> | undefined {
  return managedPolicy(kind, id) ?? findCustomPolicy(s, kind, id);
}

/** Managed then custom (in creation order), optionally only one type. */
export function listBehaviorPolicies<K extends PolicyKind>(
  s: ControlState,
  kind: K,
  type: "managed" | "custom" | undefined,
): BehaviorPolicyRecord<K>[] {
  const managed = type === "custom" ? [] : managedPolicies(kind);
  const custom = type === "managed" ? [] : customPolicies(s, kind);
  return [...managed, ...custom];
}

/** The policy ids of `kind` a config's behaviours (the default one included) reference. */
export function referencedIds(c: DistributionConfig, kind: PolicyKind): Set<string> {
  const member = BEHAVIOR_MEMBER[kind];
  const ids = new Set<string>();
  for (const b of [c.DefaultCacheBehavior, ...behaviorsOf(c)]) {
    const id = b?.[member] ?? "";
    if (id !== "") ids.add(id);
  }
  return ids;
}

/** Distributions (primary or staging) whose behaviours reference the policy. */
export const distributionsUsing = (s: ControlState, kind: PolicyKind, id: string): DistributionRecord[] =>
  s.distributions.filter((d) => referencedIds(d.config, kind).has(id));

/** Which policy ids exist, per kind: what a DistributionConfig's references are checked against. */
export type PolicyExists = (kind: PolicyKind, id: string) => boolean;

/** Only the managed policies (a config checked without the state). */
export const managedOnly: PolicyExists = isManaged;

export const existsIn =
  (s: ControlState): PolicyExists =>
  (kind, id) =>
    isManaged(kind, id) || findCustomPolicy(s, kind, id) !== undefined;
