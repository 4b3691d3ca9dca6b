/**
 * The routing decision for one viewer request to a primary: primary or staging, and whether the response must
 * carry a (new or refreshed) sticky-session cookie. Pure and synchronous: the edge shell reads the config, the
 * header and the verified cookie, passes the clock and the random source in, and acts on the result
 * (reference §4; "decide first, then act").
 */
import type { Arm, EdgePolicy } from "../model/edge-config.js";
import { bucketOf, newSessionId } from "./bucket.js";
import type { SessionClaims } from "./session-cookie.js";

export interface RouteInput {
  policy: EdgePolicy | null;
  /** false also when there is no staging distribution. */
  stagingEnabled: boolean;
  forcePrimary: boolean;
  /** Request header lookup by lower-case name. */
  header: (lowerCaseName: string) => string | null;
  /** The verified cookie, or null (absent/invalid). */
  session: SessionClaims | null;
  /** Unix seconds (a fraction is floored). */
  nowS: number;
  /** [0, 1). */
  random: () => number;
}

export type RouteReason =
  | "force-primary"
  | "no-policy"
  | "policy-disabled"
  | "staging-disabled"
  | "header-match"
  | "header-miss"
  | "weight"
  | "sticky-new"
  | "sticky-kept"
  /** A session a preview link opened (pinned until the link expires, whatever the traffic rule). */
  | "preview";

export interface Decision {
  arm: Arm;
  reason: RouteReason;
  /** Set when the response must carry a (new or refreshed) session cookie: the claims to sign. */
  issue: SessionClaims | null;
  /** The sticky settings in force, when a cookie is issued (for Max-Age). */
  stickiness: { idleTTL: number; maximumTTL: number } | null;
}

/** Decisions without a cookie are shared frozen constants: the common paths allocate nothing. */
const fixed = (arm: Arm, reason: RouteReason): Decision =>
  Object.freeze({ arm, reason, issue: null, stickiness: null });
const FORCE_PRIMARY = fixed("primary", "force-primary");
const NO_POLICY = fixed("primary", "no-policy");
const POLICY_DISABLED = fixed("primary", "policy-disabled");
const STAGING_DISABLED = fixed("primary", "staging-disabled");
const HEADER_MATCH = fixed("staging", "header-match");
const HEADER_MISS = fixed("primary", "header-miss");
const WEIGHT_STAGING = fixed("staging", "weight");
const WEIGHT_PRIMARY = fixed("primary", "weight");
const KEPT_PRIMARY = fixed("primary", "sticky-kept");
const KEPT_STAGING = fixed("staging", "sticky-kept");
const PREVIEW_PRIMARY = fixed("primary", "preview");
const PREVIEW_STAGING = fixed("staging", "preview");

/**
 * How stale the cookie's lastSeenAt may get before it is re-signed. Refreshing on every request would cost an
 * HMAC and a Set-Cookie per response; refreshing only every `idleResolution` seconds means the server's view of
 * "last request" lags by up to that much, so a session may end up to idleResolution seconds (60 s at most, e.g.
 * with IdleTTL 300) before last-request + IdleTTL. Sessions end slightly early, never late.
 */
export function idleResolution(idleTTL: number): number {
  return Math.min(60, Math.floor(idleTTL / 5));
}

/** Alive iff neither clock has run out; exactly at a TTL the session has ended. */
export function sessionAlive(
  s: SessionClaims,
  stickiness: { idleTTL: number; maximumTTL: number },
  now: number,
): boolean {
  return now - s.lastSeenAt < stickiness.idleTTL && now - s.startedAt < stickiness.maximumTTL;
}

export function decide(input: RouteInput): Decision {
  // An operator's switch beats every policy, as CloudFront's own "send all to primary" at peak load does.
  if (input.forcePrimary) return FORCE_PRIMARY;
  const policy = input.policy;
  if (policy === null) return NO_POLICY;
  const session = input.session;
  // A preview link's session holds while its policy stays attached and its epoch current, even with the policy
  // switched off (the link is the operator's explicit choice), but never past the link's expiry or to a disabled
  // staging distribution.
  if (session !== null && session.pinnedUntil !== undefined && input.stagingEnabled) {
    const now = Math.floor(input.nowS);
    if (session.policyId === policy.id && session.epoch === policy.epoch && now < session.pinnedUntil) {
      return session.arm === "staging" ? PREVIEW_STAGING : PREVIEW_PRIMARY;
    }
  }
  if (!policy.enabled) return POLICY_DISABLED;
  if (!input.stagingEnabled) return STAGING_DISABLED;
  const traffic = policy.traffic;
  switch (traffic.type) {
    case "SingleHeader":
      // Exact value: a different case or surrounding spaces is a miss, as on CloudFront.
      return input.header(traffic.header) === traffic.value ? HEADER_MATCH : HEADER_MISS;
    case "SingleWeight": {
      const sticky = traffic.stickiness;
      if (sticky === null) return input.random() < traffic.weight ? WEIGHT_STAGING : WEIGHT_PRIMARY;
      const now = Math.floor(input.nowS);
      const s = session;
      // A cookie of another policy or epoch is foreign: its session was reset (policy toggled, stickiness toggled).
      // A preview session that no longer holds is over, not turned into a drawn one.
      if (
        s !== null &&
        s.pinnedUntil === undefined &&
        s.policyId === policy.id &&
        s.epoch === policy.epoch &&
        sessionAlive(s, sticky, now)
      ) {
        // The arm is kept even if the weight changed since: a weight change alone does not reset sessions.
        if (now - s.lastSeenAt < idleResolution(sticky.idleTTL))
          return s.arm === "staging" ? KEPT_STAGING : KEPT_PRIMARY;
        return { arm: s.arm, reason: "sticky-kept", issue: { ...s, lastSeenAt: now }, stickiness: sticky };
      }
      const sid = newSessionId(input.random);
      // Both arms are pinned (not only staging), so the real staging share of sessions equals the weight.
      const arm: Arm = bucketOf(sid) < traffic.weight ? "staging" : "primary";
      const issue = { arm, policyId: policy.id, epoch: policy.epoch, sid, startedAt: now, lastSeenAt: now };
      return { arm, reason: "sticky-new", issue, stickiness: sticky };
    }
    default:
      return traffic satisfies never;
  }
}
