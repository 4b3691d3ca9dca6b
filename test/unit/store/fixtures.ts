/** Builders of control-plane state for the pure operation tests: deterministic ids and times. */
import type { DistributionConfig } from "../../../src/domain/distribution/types.js";
import type { PolicyConfig } from "../../../src/domain/policy/types.js";
import type { ControlState, IdSource, OpContext } from "../../../src/domain/state.js";

export function counterIds(): IdSource {
  let n = 0;
  const next = () => String(++n).padStart(13, "0");
  return {
    distributionId: () => `E${next()}`,
    domainLabel: () => `d${next()}`,
    policyId: () => `00000000-0000-4000-8000-${next().slice(1)}`,
    etag: () => `T${next()}`,
  };
}

/** One id source per test module, so ids never repeat across operations. */
const sharedIds = counterIds();

export function ctx(ids = sharedIds): OpContext {
  return { now: "2026-01-01T00:00:00.000Z", nextSeq: 1, ids, domainSuffix: "test.localhost" };
}

export const emptyState = (): ControlState => ({ distributions: [], policies: [], behaviorPolicies: [] });

export function config(ref: string, overrides: Partial<DistributionConfig> = {}): DistributionConfig {
  return {
    CallerReference: ref,
    Aliases: { Quantity: 0 },
    Origins: {
      Quantity: 1,
      Items: [
        {
          Id: "o",
          DomainName: "127.0.0.1",
          CustomOriginConfig: { HTTPPort: 9001, HTTPSPort: 443, OriginProtocolPolicy: "http-only" },
        },
      ],
    },
    DefaultCacheBehavior: {
      TargetOriginId: "o",
      ViewerProtocolPolicy: "allow-all",
      CachePolicyId: "658327ea-f89d-4fab-a63d-7e88639e58f6",
    },
    Comment: "",
    Enabled: true,
    ...overrides,
  };
}

export function weight(dns: string, w = 0.1, enabled = true): PolicyConfig {
  return {
    StagingDistributionDnsNames: { Quantity: 1, Items: [dns] },
    Enabled: enabled,
    TrafficConfig: { Type: "SingleWeight", SingleWeightConfig: { Weight: w } },
  };
}

/** Applies a change to a state (what the Durable Object does in SQL). */
export function applied(
  s: ControlState,
  change: {
    putDistributions: ControlState["distributions"];
    deleteDistributions: string[];
    putPolicies: ControlState["policies"];
    deletePolicies: string[];
    putBehaviorPolicies?: ControlState["behaviorPolicies"];
    deleteBehaviorPolicies?: string[];
    putFunctions?: NonNullable<ControlState["functions"]>;
    deleteFunctions?: string[];
  },
): ControlState {
  const upsert = <T extends { id: string }>(list: T[], puts: T[], dels: string[]) => {
    const out = list.filter((x) => !dels.includes(x.id) && !puts.some((p) => p.id === x.id));
    return [...out, ...puts];
  };
  return {
    distributions: upsert(s.distributions, change.putDistributions, change.deleteDistributions),
    policies: upsert(s.policies, change.putPolicies, change.deletePolicies),
    behaviorPolicies: upsert(s.behaviorPolicies, change.putBehaviorPolicies ?? [], change.deleteBehaviorPolicies ?? []),
    ...functionsApplied(s, change.putFunctions ?? [], change.deleteFunctions ?? []),
  };
}

/** The state's functions after a change (by name); absent, as in a state that never had any, when none. */
function functionsApplied(
  s: ControlState,
  puts: NonNullable<ControlState["functions"]>,
  dels: string[],
): Pick<ControlState, "functions"> {
  if (s.functions === undefined && puts.length === 0) return {};
  const kept = (s.functions ?? []).filter((f) => !dels.includes(f.name) && !puts.some((p) => p.name === f.name));
  return { functions: [...kept, ...puts] };
}
