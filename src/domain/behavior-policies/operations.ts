/**
 * Create, update and delete of cache, origin request and response headers policies against the whole state:
 * the config's own rules (validate.ts), a name unique among the kind's policies (managed ones included), the
 * account quota, managed policies immutable, no delete while a distribution references the policy. Pure: each
 * returns the Change to apply and the resulting record, or the refusal. Every host whose primary or staging uses
 * an updated policy is republished by the publisher, which compiles the policy's content into the record.
 */
import { checkIfMatch } from "../preconditions.js";
import { fail, ok, type Result, refuse } from "../result.js";
import { type Change, type ControlState, noChange, type OpContext } from "../state.js";
import { MAX_POLICIES_PER_KIND } from "./limits.js";
import { customPolicies, distributionsUsing, findCustomPolicy } from "./lookup.js";
import { isManaged, managedPolicies } from "./managed.js";
import { type BehaviorPolicyRecord, type ConfigOf, KIND_ERRORS, type PolicyKind } from "./types.js";
import { validatePolicyConfig } from "./validate.js";

export interface BehaviorPolicyOutcome<K extends PolicyKind> {
  change: Change;
  record: BehaviorPolicyRecord<K>;
}

const nameOf = (c: ConfigOf[PolicyKind]): string => c.Name ?? "";

/** Names compare as CloudFront compares them: exactly. Managed names ("Managed-…") are taken too. */
function nameTaken(s: ControlState, kind: PolicyKind, name: string, selfId: string | null): boolean {
  const all: BehaviorPolicyRecord[] = [...managedPolicies(kind), ...customPolicies(s, kind)];
  return all.some((p) => p.id !== selfId && nameOf(p.config) === name);
}

function alreadyExists(kind: PolicyKind): { ok: false; error: ReturnType<typeof refuse>["error"] } {
  const e = KIND_ERRORS[kind];
  return refuse(
    e.alreadyExists,
    `A ${e.noun} with this name already exists. You must provide a unique name. To modify an existing ${e.noun}, update it.`,
  );
}

export const noSuchPolicy = (kind: PolicyKind): { ok: false; error: ReturnType<typeof refuse>["error"] } =>
  refuse(KIND_ERRORS[kind].noSuch, `The ${KIND_ERRORS[kind].noun} does not exist.`);

export function createBehaviorPolicy<K extends PolicyKind>(
  s: ControlState,
  kind: K,
  sent: ConfigOf[K],
  ctx: OpContext,
): Result<BehaviorPolicyOutcome<K>> {
  const valid = validatePolicyConfig(kind, sent);
  if (!valid.ok) return valid;
  if (nameTaken(s, kind, nameOf(valid.value), null)) return alreadyExists(kind);
  if (customPolicies(s, kind).length >= MAX_POLICIES_PER_KIND) {
    const e = KIND_ERRORS[kind];
    return refuse(
      e.tooMany,
      `You have reached the maximum number of ${e.noun} (${MAX_POLICIES_PER_KIND}) for this account.`,
    );
  }
  const record: BehaviorPolicyRecord<K> = {
    kind,
    id: ctx.ids.policyId(),
    etag: ctx.ids.etag(),
    lastModified: ctx.now,
    seq: ctx.nextSeq,
    config: valid.value,
  };
  return ok({ change: { ...noChange(), putBehaviorPolicies: [record] }, record });
}

export function updateBehaviorPolicy<K extends PolicyKind>(
  s: ControlState,
  kind: K,
  id: string,
  ifMatch: string | undefined,
  sent: ConfigOf[K],
  ctx: OpContext,
): Result<BehaviorPolicyOutcome<K>> {
  if (isManaged(kind, id)) {
    return fail({ tag: "illegal-update", message: `A managed ${KIND_ERRORS[kind].noun} cannot be updated.` });
  }
  const current = findCustomPolicy(s, kind, id);
  if (current === undefined) return noSuchPolicy(kind);
  const pre = checkIfMatch(ifMatch, current.etag);
  if (!pre.ok) return pre;
  const valid = validatePolicyConfig(kind, sent);
  if (!valid.ok) return valid;
  if (nameTaken(s, kind, nameOf(valid.value), id)) return alreadyExists(kind);
  const record: BehaviorPolicyRecord<K> = {
    ...current,
    etag: ctx.ids.etag(),
    lastModified: ctx.now,
    config: valid.value,
  };
  return ok({ change: { ...noChange(), putBehaviorPolicies: [record] }, record });
}

export function deleteBehaviorPolicy(
  s: ControlState,
  kind: PolicyKind,
  id: string,
  ifMatch: string | undefined,
): Result<Change> {
  const e = KIND_ERRORS[kind];
  if (isManaged(kind, id)) return refuse("illegal-delete", `A managed ${e.noun} cannot be deleted.`);
  const current = findCustomPolicy(s, kind, id);
  if (current === undefined) return noSuchPolicy(kind);
  const pre = checkIfMatch(ifMatch, current.etag);
  if (!pre.ok) return pre;
  const users = distributionsUsing(s, kind, id);
  if (users.length > 0) {
    return refuse(
      e.inUse,
      `Cannot delete the ${e.noun} because it is attached to one or more cache behaviors (distribution ${users.map((d) => d.id).join(", ")}).`,
    );
  }
  return ok({ ...noChange(), deleteBehaviorPolicies: [id] });
}
