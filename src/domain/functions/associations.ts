/**
 * FunctionAssociations on a distribution's behaviours, checked against the account's functions (reference: the
 * botocore model's errors for Create/UpdateDistribution): each names an existing function by ARN, which must be
 * published (a LIVE stage), for the viewer-request or viewer-response event, at most one per event type.
 */
import {
  behaviorsOf,
  type CacheBehavior,
  type DefaultCacheBehavior,
  type DistributionConfig,
} from "../distribution/types.js";
import { fail, ok, type Result } from "../result.js";
import type { ControlState } from "../state.js";
import { FUNCTION_ARN, type FunctionRecord } from "./types.js";

const EVENT_TYPES = new Set(["viewer-request", "viewer-response"]);
/** One function per viewer event type: two per behaviour. */
export const MAX_FUNCTION_ASSOCIATIONS = 2;
/** CloudFront's quota "Maximum number of distributions associated with a single function". */
export const MAX_DISTRIBUTIONS_PER_FUNCTION = 100;

/** The behaviours of a config with the name CloudFront's messages use for each. */
function behaviours(cfg: DistributionConfig): [string, DefaultCacheBehavior | CacheBehavior][] {
  const out: [string, DefaultCacheBehavior | CacheBehavior][] = [];
  if (cfg.DefaultCacheBehavior !== undefined) out.push(["DefaultCacheBehavior", cfg.DefaultCacheBehavior]);
  for (const b of behaviorsOf(cfg)) out.push([`CacheBehavior ${b.PathPattern ?? ""}`, b]);
  return out;
}

export function checkFunctionAssociations(cfg: DistributionConfig, functions: readonly FunctionRecord[]): Result<true> {
  for (const [where, b] of behaviours(cfg)) {
    const items = b.FunctionAssociations?.Items ?? [];
    if (items.length > MAX_FUNCTION_ASSOCIATIONS) {
      return fail({
        tag: "too-many-function-associations",
        message: `${where} has ${items.length} function associations; at most ${MAX_FUNCTION_ASSOCIATIONS} are allowed.`,
      });
    }
    const seen = new Set<string>();
    for (const a of items) {
      const arn = a.FunctionARN ?? "";
      const type = a.EventType ?? "";
      if (!EVENT_TYPES.has(type)) {
        return invalidAssociation(
          `${where}: CloudFront Functions run only on viewer-request and viewer-response, not ${type}.`,
        );
      }
      if (seen.has(type)) return invalidAssociation(`${where} associates more than one function with ${type}.`);
      seen.add(type);
      const name = FUNCTION_ARN.exec(arn)?.[2];
      if (name === undefined) return invalidAssociation(`${where}: ${arn} is not a CloudFront function ARN.`);
      const fn = functions.find((f) => f.name === name);
      if (fn === undefined) return fail({ tag: "no-such-function", name });
      if (fn.live === null) {
        return invalidAssociation(
          `${where}: the function ${name} is not published; only LIVE functions can be associated.`,
        );
      }
    }
  }
  return ok(true);
}

const invalidAssociation = (message: string): Result<true> => fail({ tag: "invalid-function-association", message });

/** Names of the functions a config's behaviours associate. */
export function associatedNames(cfg: DistributionConfig): Set<string> {
  const out = new Set<string>();
  for (const [, b] of behaviours(cfg)) {
    for (const a of b.FunctionAssociations?.Items ?? []) {
      const name = FUNCTION_ARN.exec(a.FunctionARN ?? "")?.[2];
      if (name !== undefined) out.add(name);
    }
  }
  return out;
}

/**
 * The quota on distributions per function (TooManyDistributionsWithFunctionAssociations): a config may not make a
 * function associated with more distributions than CloudFront allows. `selfId`: the distribution being updated (it
 * does not count against itself), null on create.
 */
export function checkFunctionQuota(s: ControlState, cfg: DistributionConfig, selfId: string | null): Result<true> {
  const names = associatedNames(cfg);
  for (const name of names) {
    let others = 0;
    for (const d of s.distributions) {
      if (d.id !== selfId && associatedNames(d.config).has(name)) others++;
    }
    if (others >= MAX_DISTRIBUTIONS_PER_FUNCTION) {
      return fail({
        tag: "too-many-distributions-with-function-associations",
        message: `The function ${name} is already associated with ${others} distributions; at most ${MAX_DISTRIBUTIONS_PER_FUNCTION} are allowed.`,
      });
    }
  }
  return ok(true);
}
