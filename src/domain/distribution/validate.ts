/**
 * The rules a distribution config must meet on its own, whatever else exists: origins, origin groups and the
 * behaviours' targets are consistent, cache settings are given one way or the other, a staging distribution has
 * no aliases and no policy. Rules against the rest of the state live in operations.ts. Pure.
 */
import { invalid, ok, type Result } from "../result.js";
import { managedCachePolicy } from "./managed-cache-policies.js";
import {
  aliasesOf,
  behaviorsOf,
  type CacheBehavior,
  type DefaultCacheBehavior,
  type DistributionConfig,
  isStaging,
  policyIdOf,
} from "./types.js";

const HOSTNAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function validateDistributionConfig(c: DistributionConfig): Result<true> {
  if ((c.CallerReference ?? "") === "") return invalid("CallerReference must not be empty.");
  if (isStaging(c) && aliasesOf(c).length > 0) return invalid("A staging distribution cannot have Aliases (CNAMEs).");
  if (isStaging(c) && policyIdOf(c) !== "") {
    return invalid("A staging distribution cannot have a continuous deployment policy.");
  }
  const aliases = aliasesOf(c);
  for (const a of aliases) {
    if (a.length > 253 || !HOSTNAME.test(a)) return invalid(`The alias ${a} is not a valid domain name.`);
  }
  if (new Set(aliases).size !== aliases.length) return invalid("Aliases must not repeat.");
  const origins = c.Origins?.Items ?? [];
  if (origins.length === 0) return invalid("A distribution needs at least one origin.");
  const targets = new Set<string>();
  for (const o of origins) {
    const id = o.Id ?? "";
    if (id === "" || targets.has(id)) return invalid(`Origin ids must be non-empty and unique (${id}).`);
    targets.add(id);
    const kinds = [o.S3OriginConfig, o.CustomOriginConfig, o.VpcOriginConfig].filter((k) => k !== undefined);
    if (kinds.length !== 1) {
      return invalid(`Origin ${id} needs exactly one of S3OriginConfig, CustomOriginConfig or VpcOriginConfig.`);
    }
    const path = o.OriginPath ?? "";
    if (path !== "" && (!path.startsWith("/") || path.endsWith("/"))) {
      return invalid(`OriginPath of ${id} must start with / and must not end with /.`);
    }
  }
  const originIds = new Set(targets);
  for (const g of c.OriginGroups?.Items ?? []) {
    const id = g.Id ?? "";
    if (id === "" || targets.has(id)) return invalid(`Origin group ids must be non-empty and unique (${id}).`);
    targets.add(id);
    const members = g.Members?.Items ?? [];
    if (members.length !== 2 || members.some((m) => !originIds.has(m.OriginId ?? ""))) {
      return invalid(`Origin group ${id} needs exactly two members that are origins of this distribution.`);
    }
    const codes = g.FailoverCriteria?.StatusCodes?.Items ?? [];
    if (codes.length === 0 || codes.some((s) => s < 400 || s > 599)) {
      return invalid(`Origin group ${id} needs failover status codes between 400 and 599.`);
    }
  }
  const def = c.DefaultCacheBehavior;
  if (def === undefined) return invalid("DefaultCacheBehavior is required.");
  const checked = checkBehavior(def, targets, "DefaultCacheBehavior");
  if (!checked.ok) return checked;
  const patterns = new Set<string>();
  for (const b of behaviorsOf(c)) {
    const p = b.PathPattern ?? "";
    if (p === "" || patterns.has(p))
      return invalid(`Cache behavior path patterns must be non-empty and unique (${p}).`);
    patterns.add(p);
    const r = checkBehavior(b, targets, `CacheBehavior ${p}`);
    if (!r.ok) return r;
  }
  for (const e of c.CustomErrorResponses?.Items ?? []) {
    const code = e.ErrorCode ?? 0;
    if (code < 400 || code > 599) return invalid(`CustomErrorResponse ErrorCode ${code} must be 4xx or 5xx.`);
    const page = e.ResponsePagePath ?? "";
    if (page !== "" && !page.startsWith("/")) return invalid("ResponsePagePath must start with /.");
  }
  return ok(true);
}

function checkBehavior(b: DefaultCacheBehavior | CacheBehavior, targets: Set<string>, where: string): Result<true> {
  if (!targets.has(b.TargetOriginId ?? "")) {
    return invalid(`${where}: TargetOriginId ${b.TargetOriginId ?? ""} is not an origin or origin group.`);
  }
  if (b.CachePolicyId !== undefined && b.CachePolicyId !== "") {
    if (managedCachePolicy(b.CachePolicyId) === undefined) {
      return invalid(`${where}: the cache policy ${b.CachePolicyId} does not exist (only AWS managed ones are known).`);
    }
  } else if (b.ForwardedValues === undefined || b.MinTTL === undefined) {
    return invalid(`${where}: give either a CachePolicyId or ForwardedValues with MinTTL.`);
  }
  return ok(true);
}
