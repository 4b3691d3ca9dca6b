/**
 * Preview links (POST .../preview-links): a URL on the primary's first alias (its domain name when it has none)
 * carrying a signed token that pins whoever opens it to one arm for a session, whatever the weight or header rule,
 * while the staging distribution is attached and enabled. This module parses the request and decides what the
 * link says; the token itself is signed with SESSION_SECRET by src/routing/preview-token.ts. Pure.
 */
import { aliasesOf, isEnabled, isStaging, policyIdOf } from "./distribution/types.js";
import { findDistribution, findPolicy, stagingOfPolicy } from "./lookup.js";
import { fail, invalid, ok, type Result } from "./result.js";
import type { ControlState } from "./state.js";

export type PreviewArm = "staging" | "primary";

export const PREVIEW_LIMITS = {
  minExpiresInSeconds: 60,
  /** A week: a link is a credential, so it must not live for ever. */
  maxExpiresInSeconds: 604_800,
  defaultExpiresInSeconds: 3_600,
  maxPathLength: 2_048,
} as const;

export interface PreviewRequest {
  arm: PreviewArm;
  expiresInSeconds: number;
  /** Where the link lands: an absolute path, without a query or fragment. */
  path: string;
}

export interface PreviewPlan {
  primaryId: string;
  /** The host the link is on. */
  host: string;
  arm: PreviewArm;
  path: string;
  /** Unix seconds at which the link (and any session it opens) ends. */
  expiresAt: number;
}

const PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;

export function parsePreviewRequest(raw: unknown): Result<PreviewRequest> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return invalid("The preview-link request must be a JSON object.");
  }
  const o = raw as Record<string, unknown>;
  const extra = Object.keys(o).find((k) => !["arm", "expiresInSeconds", "path"].includes(k));
  if (extra !== undefined) return invalid(`The preview-link request has an unknown member "${extra}".`);
  if (o.arm !== "staging" && o.arm !== "primary") return invalid('arm must be "staging" or "primary".');
  const L = PREVIEW_LIMITS;
  const expires = o.expiresInSeconds ?? L.defaultExpiresInSeconds;
  if (
    typeof expires !== "number" ||
    !Number.isInteger(expires) ||
    expires < L.minExpiresInSeconds ||
    expires > L.maxExpiresInSeconds
  ) {
    return invalid(`expiresInSeconds must be an integer from ${L.minExpiresInSeconds} to ${L.maxExpiresInSeconds}.`);
  }
  const path = o.path ?? "/";
  if (typeof path !== "string" || path.length > L.maxPathLength || !PATH.test(path)) {
    return invalid("path must be an absolute URL path (starting with /, no query or fragment).");
  }
  return ok({ arm: o.arm, expiresInSeconds: expires, path });
}

export function planPreviewLink(
  s: ControlState,
  primaryId: string,
  req: PreviewRequest,
  nowS: number,
): Result<PreviewPlan> {
  const primary = findDistribution(s, primaryId);
  if (primary === undefined) return fail({ tag: "no-such-distribution", id: primaryId });
  if (isStaging(primary.config)) {
    return invalid(`${primaryId} is a staging distribution; preview links are made on its primary.`);
  }
  if (!isEnabled(primary.config)) return invalid(`The distribution ${primaryId} is disabled: it serves no viewers.`);
  const policyId = policyIdOf(primary.config);
  if (policyId === "" || findPolicy(s, policyId) === undefined || stagingOfPolicy(s, policyId) === undefined) {
    return fail({
      tag: "no-attached-policy",
      message: `No continuous deployment policy with a staging distribution is attached to ${primaryId}.`,
    });
  }
  return ok({
    primaryId,
    host: aliasesOf(primary.config)[0] ?? primary.domainName,
    arm: req.arm,
    path: req.path,
    expiresAt: Math.floor(nowS) + req.expiresInSeconds,
  });
}
