/**
 * Compiles the whole control-plane state into the per-host records the edge reads (src/model/edge-config.ts):
 * one `viewer` record for each hostname (domain name and aliases) of each enabled primary, with its attached
 * policy and the staging distribution that policy names resolved; one `staging` record for each staging
 * distribution's domain name. The cache, origin request and response headers policies each behaviour names are
 * compiled into it too, so a record changes (and is republished) whenever a policy it uses changes. Pure: the
 * same state and version always give the same records.
 *
 * Overlays carry what the extensions add to a record beyond the CloudFront state: a running rollout's weight
 * (the policy's own weight stays what its client set; the edge uses the rollout's) and how long preview links
 * for a primary may be open.
 */
import { findBehaviorPolicy } from "../domain/behavior-policies/lookup.js";
import { aliasesOf, isEnabled, isStaging, policyIdOf } from "../domain/distribution/types.js";
import { distributionByDomain, findPolicy, stagingNamesOf } from "../domain/lookup.js";
import { normalizePolicy } from "../domain/policy/validate.js";
import type { ControlState, PolicyRecord } from "../domain/state.js";
import { EDGE_CONFIG_SCHEMA, type EdgeConfig, type EdgePolicy, type EdgeTraffic } from "../model/edge-config.js";
import { compileDistribution, type PolicyResolver } from "./compile-distribution.js";

export interface EdgeOverlays {
  /** By policy id: the weight a rollout drives at the edge. */
  rolloutWeights: ReadonlyMap<string, { rolloutId: string; weight: number }>;
  /** By primary distribution id: the latest expiry (Unix seconds) of its preview links. */
  previewUntil: ReadonlyMap<string, number>;
}

export const NO_OVERLAYS: EdgeOverlays = { rolloutWeights: new Map(), previewUntil: new Map() };

export function compileEdgeConfigs(
  s: ControlState,
  version: number,
  overlays: EdgeOverlays = NO_OVERLAYS,
): Map<string, EdgeConfig> {
  const out = new Map<string, EdgeConfig>();
  const resolve: PolicyResolver = (kind, id) => findBehaviorPolicy(s, kind, id)?.config;
  for (const d of s.distributions) {
    if (isStaging(d.config)) {
      out.set(d.domainName, {
        schema: EDGE_CONFIG_SCHEMA,
        kind: "staging",
        host: d.domainName,
        version,
        stagingDistributionId: d.id,
      });
      continue;
    }
    if (!isEnabled(d.config)) continue;
    const policy = findPolicy(s, policyIdOf(d.config));
    const stagingName = policy === undefined ? undefined : stagingNamesOf(policy)[0];
    const stagingRecord = stagingName === undefined ? undefined : distributionByDomain(s, stagingName);
    const edgePolicy =
      policy === undefined || stagingRecord === undefined
        ? null
        : compilePolicy(policy, overlays.rolloutWeights.get(policy.id));
    const previewUntil = overlays.previewUntil.get(d.id);
    const fns = s.functions ?? [];
    const primary = compileDistribution(d, resolve, fns);
    const staging =
      edgePolicy === null || stagingRecord === undefined ? null : compileDistribution(stagingRecord, resolve, fns);
    for (const host of [d.domainName, ...aliasesOf(d.config)]) {
      out.set(host, {
        schema: EDGE_CONFIG_SCHEMA,
        kind: "viewer",
        host,
        version,
        primary,
        policy: edgePolicy,
        staging,
        ...(previewUntil !== undefined ? { previewUntil } : {}),
      });
    }
  }
  return out;
}

function compilePolicy(p: PolicyRecord, rollout: { rolloutId: string; weight: number } | undefined): EdgePolicy | null {
  const norm = normalizePolicy(p.config);
  if (!norm.ok) return null;
  const t = norm.value.traffic;
  if (t.type === "SingleHeader") {
    const traffic: EdgeTraffic = { type: t.type, header: t.header.toLowerCase(), value: t.value };
    return { id: p.id, enabled: norm.value.enabled, epoch: p.epoch, traffic };
  }
  const traffic: EdgeTraffic = { type: t.type, weight: rollout?.weight ?? t.weight, stickiness: t.stickiness };
  return {
    id: p.id,
    enabled: norm.value.enabled,
    epoch: p.epoch,
    traffic,
    ...(rollout !== undefined ? { rolloutId: rollout.rolloutId } : {}),
  };
}
