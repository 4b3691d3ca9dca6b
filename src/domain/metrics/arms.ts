/**
 * Which distributions a metrics report covers: a primary and, while a continuous deployment policy is attached
 * to it, the staging distribution that policy names. Metrics are stored per primary (one shard each), so a
 * staging distribution is asked about through its primary. Pure.
 */
import { isStaging, policyIdOf } from "../distribution/types.js";
import { findDistribution, policiesNaming, primariesUsing, stagingOfPolicy } from "../lookup.js";
import { fail, ok, type Result } from "../result.js";
import type { ControlState } from "../state.js";

export interface MetricsArms {
  primaryId: string;
  /** The attached policy's id; null when none is attached. */
  policyId: string | null;
  /** The staging distribution the attached policy names; null without one. */
  stagingId: string | null;
}

export function metricsArms(s: ControlState, id: string): Result<MetricsArms> {
  const d = findDistribution(s, id);
  if (d === undefined) return fail({ tag: "no-such-distribution", id });
  if (isStaging(d.config)) {
    const primaries = policiesNaming(s, d).flatMap((p) => primariesUsing(s, p.id).map((x) => x.id));
    const where = primaries.length === 0 ? "no primary uses it now" : `ask its primary: ${primaries.join(", ")}`;
    return fail({
      tag: "invalid-argument",
      message: `${id} is a staging distribution; its traffic is reported with its primary's metrics (${where}).`,
    });
  }
  const policyId = policyIdOf(d.config);
  if (policyId === "") return ok({ primaryId: id, policyId: null, stagingId: null });
  return ok({ primaryId: id, policyId, stagingId: stagingOfPolicy(s, policyId)?.id ?? null });
}

/** Every distribution that can be a metrics shard: the primaries (all distributions that are not staging). */
export const metricsShards = (s: ControlState): string[] =>
  s.distributions.filter((d) => !isStaging(d.config)).map((d) => d.id);
