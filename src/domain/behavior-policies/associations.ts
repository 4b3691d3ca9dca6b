/**
 * The quota on distributions per policy (TooManyDistributionsAssociatedTo…Policy): a config may not make a custom
 * policy referenced by more distributions than CloudFront allows. Pure.
 */
import type { DistributionConfig } from "../distribution/types.js";
import { ok, type Result, refuse } from "../result.js";
import type { ControlState } from "../state.js";
import { MAX_DISTRIBUTIONS_PER_POLICY } from "./limits.js";
import { distributionsUsing, referencedIds } from "./lookup.js";
import { isManaged } from "./managed.js";
import { KIND_ERRORS, POLICY_KINDS } from "./types.js";

/** `selfId`: the distribution being updated (it does not count against itself), null on create. */
export function checkPolicyAssociations(s: ControlState, c: DistributionConfig, selfId: string | null): Result<true> {
  for (const kind of POLICY_KINDS) {
    for (const id of referencedIds(c, kind)) {
      if (isManaged(kind, id)) continue;
      const others = distributionsUsing(s, kind, id).filter((d) => d.id !== selfId);
      if (others.length >= MAX_DISTRIBUTIONS_PER_POLICY) {
        const e = KIND_ERRORS[kind];
        return refuse(
          e.tooManyDistributions,
          `The maximum number of distributions (${MAX_DISTRIBUTIONS_PER_POLICY}) have been associated with the specified ${e.noun}.`,
        );
      }
    }
  }
  return ok(true);
}
