/**
 * A distribution's `Status` (reference §4: "InProgress" → "Deployed"), told truthfully: `Deployed` means every
 * viewer request is now decided on a record that includes the distribution's last change. A change reaches the
 * edge when a publish to KV that read it succeeds, and every isolate then picks it up within the propagation bound
 * (CONFIG_MEMO_MS + KV_STALENESS_S, src/env.ts). So a distribution is `InProgress` until a successful publish has
 * covered its last change and the bound has passed since, then `Deployed`; `aws cloudfront wait
 * distribution-deployed` and Terraform's `wait_for_deployment` then mean "viewers now see it".
 *
 * Its last change is the newest of the records that shape what the edge serves for it: the distribution itself
 * and, for a primary, the continuous deployment policy attached to it and that policy's staging distribution (a
 * policy's weight or a staging config change alters the primary's published records, so the primary is
 * `InProgress` too), the cache, origin request and response headers policies their behaviours name (an updated
 * policy is republished into every record that uses it), and the LIVE stage of the functions they associate (a
 * PublishFunction republishes the records of every behaviour that runs the function, and CloudFront's associated
 * behaviours use the new copy "as soon as the distributions finish deploying"). Tags never reach the edge and
 * change nothing here. Pure.
 */
import { findCustomPolicy, referencedIds } from "../behavior-policies/lookup.js";
import { POLICY_KINDS } from "../behavior-policies/types.js";
import { associatedNames } from "../functions/associations.js";
import { findFunction } from "../functions/operations.js";
import { findPolicy, stagingOfPolicy } from "../lookup.js";
import type { ControlState, DistributionRecord } from "../state.js";
import { isStaging, policyIdOf } from "./types.js";

export type DistributionStatus = "InProgress" | "Deployed";

/** What the publisher knows about KV (kept in the ControlPlane's meta table). */
export interface PublishState {
  /** ISO time as of which KV holds every committed change ("" before the first successful publish). */
  asOf: string;
  /** The last recovery from failed publishes: changes committed after `from` reached KV only at `at`. */
  recovered: { from: string; at: string } | null;
}

/** The newest LastModifiedTime among the records that shape `d`'s published edge records (ISO-8601). */
export function changedAt(s: ControlState, d: DistributionRecord): string {
  let newest = policiesChangedAt(s, d, d.lastModified);
  if (isStaging(d.config)) return newest;
  const policyId = policyIdOf(d.config);
  if (policyId === "") return newest;
  const policy = findPolicy(s, policyId);
  const staging = stagingOfPolicy(s, policyId);
  for (const t of [policy?.lastModified, staging?.lastModified]) {
    if (t !== undefined && t > newest) newest = t;
  }
  return staging === undefined ? newest : policiesChangedAt(s, staging, newest);
}

/**
 * `since`, or the newest LastModifiedTime of a custom policy `d`'s behaviours name, or of the LIVE stage of a
 * function they associate, when that is later.
 */
function policiesChangedAt(s: ControlState, d: DistributionRecord, since: string): string {
  let newest = since;
  for (const kind of POLICY_KINDS) {
    for (const id of referencedIds(d.config, kind)) {
      const t = findCustomPolicy(s, kind, id)?.lastModified;
      if (t !== undefined && t > newest) newest = t;
    }
  }
  for (const name of associatedNames(d.config)) {
    const t = findFunction(s, name)?.live?.lastModified;
    if (t !== undefined && t > newest) newest = t;
  }
  return newest;
}

export function deploymentStatus(
  s: ControlState,
  d: DistributionRecord,
  nowMs: number,
  boundMs: number,
  kv: PublishState,
): DistributionStatus {
  const changed = changedAt(s, d);
  if (kv.asOf === "" || changed > kv.asOf) return "InProgress";
  const reached = kv.recovered !== null && changed > kv.recovered.from ? kv.recovered.at : changed;
  return nowMs >= Date.parse(reached) + boundMs ? "Deployed" : "InProgress";
}

/** A distribution as the API reports it: the stored record and its Status now. */
export interface DistributionView extends DistributionRecord {
  status: DistributionStatus;
}
