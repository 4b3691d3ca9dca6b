/**
 * Create, update and delete of continuous deployment policies against the whole control-plane state (reference
 * §3): quota, staging distributions that exist and back at most one policy, no delete while attached, session
 * epoch bumps. Pure: each returns the Change to apply and the resulting record, or a ControlError.
 */

import { checkPolicyPair } from "../distribution/continuous-deployment.js";
import { isStaging } from "../distribution/types.js";
import { distributionByDomain, findPolicy, primariesUsing, stagingNamesOf } from "../lookup.js";
import { checkIfMatch } from "../preconditions.js";
import { fail, invalid, ok, type Result } from "../result.js";
import { type Change, type ControlState, noChange, type OpContext, type PolicyRecord } from "../state.js";
import { type NormalizedPolicy, POLICY_LIMITS, type PolicyConfig, resetsSessions } from "./types.js";
import { normalizePolicy } from "./validate.js";

export interface PolicyOutcome {
  change: Change;
  record: PolicyRecord;
}

/** Rules that need the state: each named staging distribution exists, is a staging one, and is not taken. */
function checkAgainstState(s: ControlState, p: NormalizedPolicy, selfId: string | null): Result<true> {
  for (const name of p.stagingDnsNames) {
    const d = distributionByDomain(s, name);
    if (d === undefined || !isStaging(d.config)) {
      return invalid(`${name} is not the domain name of a staging distribution.`);
    }
    const other = s.policies.find((q) => q.id !== selfId && stagingNamesOf(q).includes(name));
    if (other !== undefined) {
      return fail({
        tag: "staging-in-use",
        message: `The staging distribution ${name} is already used by continuous deployment policy ${other.id}.`,
      });
    }
  }
  return ok(true);
}

/** When the policy is attached, its (possibly new) staging distribution must still suit the primary (§3, §5). */
function checkAttachedPair(s: ControlState, id: string, p: NormalizedPolicy): Result<true> {
  const staging = p.stagingDnsNames[0] === undefined ? undefined : distributionByDomain(s, p.stagingDnsNames[0]);
  if (staging === undefined) return ok(true);
  for (const primary of primariesUsing(s, id)) {
    const r = checkPolicyPair(primary.config, staging.config);
    if (!r.ok) return r;
  }
  return ok(true);
}

const sameConfig = (a: PolicyConfig, b: PolicyConfig): boolean => JSON.stringify(a) === JSON.stringify(b);

export function createPolicy(s: ControlState, cfg: PolicyConfig, ctx: OpContext): Result<PolicyOutcome> {
  const norm = normalizePolicy(cfg);
  if (!norm.ok) return norm;
  const twin = s.policies.find((p) => sameConfig(p.config, cfg));
  if (twin !== undefined) return fail({ tag: "policy-already-exists", id: twin.id });
  if (s.policies.length >= POLICY_LIMITS.maxPolicies) {
    return fail({ tag: "too-many-policies", limit: POLICY_LIMITS.maxPolicies });
  }
  const checked = checkAgainstState(s, norm.value, null);
  if (!checked.ok) return checked;
  const record: PolicyRecord = {
    id: ctx.ids.policyId(),
    etag: ctx.ids.etag(),
    lastModified: ctx.now,
    seq: ctx.nextSeq,
    epoch: 1,
    config: cfg,
  };
  return ok({ change: { ...noChange(), putPolicies: [record] }, record });
}

export function updatePolicy(
  s: ControlState,
  id: string,
  ifMatch: string | undefined,
  cfg: PolicyConfig,
  ctx: OpContext,
): Result<PolicyOutcome> {
  const current = findPolicy(s, id);
  if (current === undefined) return fail({ tag: "no-such-policy", id });
  const pre = checkIfMatch(ifMatch, current.etag);
  if (!pre.ok) return pre;
  const norm = normalizePolicy(cfg);
  if (!norm.ok) return norm;
  const checked = checkAgainstState(s, norm.value, id);
  if (!checked.ok) return checked;
  const paired = checkAttachedPair(s, id, norm.value);
  if (!paired.ok) return paired;
  const before = normalizePolicy(current.config);
  const reset = !before.ok || resetsSessions(before.value, norm.value);
  const record: PolicyRecord = {
    ...current,
    etag: ctx.ids.etag(),
    lastModified: ctx.now,
    epoch: reset ? current.epoch + 1 : current.epoch,
    config: cfg,
  };
  return ok({ change: { ...noChange(), putPolicies: [record] }, record });
}

export function deletePolicy(s: ControlState, id: string, ifMatch: string | undefined): Result<Change> {
  const current = findPolicy(s, id);
  if (current === undefined) return fail({ tag: "no-such-policy", id });
  const pre = checkIfMatch(ifMatch, current.etag);
  if (!pre.ok) return pre;
  const users = primariesUsing(s, id);
  if (users.length > 0) {
    return fail({
      tag: "policy-in-use",
      message: `The continuous deployment policy ${id} is attached to distribution ${users.map((d) => d.id).join(", ")}.`,
    });
  }
  return ok({ ...noChange(), deletePolicies: [id] });
}
