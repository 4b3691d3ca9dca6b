/**
 * The sticky-session cookie codec: an HMAC-SHA-256-signed record of which arm a viewer's session is pinned to,
 * under which policy and session epoch, and its two clocks (start, last seen). AWS does not document CloudFront's
 * cookie, so this format is ours (reference §4).
 *
 * Format, all cookie-value-safe characters ([A-Za-z0-9._-]), about 150 bytes with a UUID policy id:
 *
 *   v1.<arm p|s>.<epoch>.<startedAt>.<lastSeenAt>.<sid>.<base64url(policyId)>.<base64url(HMAC over all before it)>
 *
 * A session a preview link opened (src/edge/preview.ts) is pinned to its arm until the link's expiry, whatever the
 * traffic rule, and has no idle clock: it is tagged `v1p` and carries that expiry where a drawn session carries
 * lastSeenAt. The tag is signed too, so neither kind can be turned into the other.
 *
 * Integers are decimal (unix seconds for the times); the policy id is base64url-encoded so that any id, even one
 * with dots, fits one field. The signature covers the version, so an old or future format never verifies as v1.
 * Verification parses with indexOf/slice (no regex: a viewer sends this on every request), checks every field,
 * then checks the signature with crypto.subtle.verify, which compares in constant time. Anything wrong → null.
 */
import type { Arm } from "../model/edge-config.js";
import { decodeBase64url, encodeBase64url } from "./base64url.js";

export interface SessionClaims {
  arm: Arm;
  policyId: string;
  epoch: number;
  sid: string;
  /** Unix seconds. */
  startedAt: number;
  /** Unix seconds of the last request that refreshed the cookie (see decide.ts on the refresh cadence). */
  lastSeenAt: number;
  /**
   * Set when a preview link opened the session: pinned to `arm` until this Unix second, whatever the traffic rule,
   * with no idle clock (lastSeenAt is then startedAt). Absent for a session drawn by weight.
   */
  pinnedUntil?: number;
}

/** A SESSION_SECRET shorter than this is treated as absent: sticky routing fails safe and links cannot be signed. */
export const MIN_SECRET_LENGTH = 16;

const VERSION = "v1";
const PINNED = "v1p";
const FIELDS = 7;
const SIG_BYTES = 32;
/** Far above a genuine cookie; bounds the work an attacker can make us do per request. */
const MAX_LENGTH = 1024;
const HMAC = { name: "HMAC", hash: "SHA-256" } as const;

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export function importSessionKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", utf8.encode(secret), HMAC, false, ["sign", "verify"]);
}

export async function signSession(claims: SessionClaims, key: CryptoKey): Promise<string> {
  const pinned = claims.pinnedUntil;
  const body = [
    pinned === undefined ? VERSION : PINNED,
    claims.arm === "staging" ? "s" : "p",
    claims.epoch,
    claims.startedAt,
    pinned ?? claims.lastSeenAt,
    claims.sid,
    encodeBase64url(utf8.encode(claims.policyId)),
  ].join(".");
  const sig = await crypto.subtle.sign("HMAC", key, utf8.encode(body));
  return `${body}.${encodeBase64url(new Uint8Array(sig))}`;
}

export async function verifySession(value: string, key: CryptoKey): Promise<SessionClaims | null> {
  if (typeof value !== "string" || value.length > MAX_LENGTH) return null;
  const sigAt = value.lastIndexOf(".");
  if (sigAt < 0) return null;
  const body = value.slice(0, sigAt);
  const parts = body.split(".");
  const tag = parts[0];
  if (parts.length !== FIELDS || (tag !== VERSION && tag !== PINNED)) return null;
  const [, armCode = "", epochText = "", startedText = "", clockText = "", sid = "", policyText = ""] = parts;
  const arm: Arm | null = armCode === "s" ? "staging" : armCode === "p" ? "primary" : null;
  const epoch = parseUint(epochText);
  const startedAt = parseUint(startedText);
  const clock = parseUint(clockText);
  if (arm === null || epoch < 0 || startedAt < 0 || clock < startedAt || !isBase64url(sid)) return null;
  const policyBytes = decodeBase64url(policyText);
  const sig = decodeBase64url(value.slice(sigAt + 1));
  if (policyBytes === null || sig === null || sig.length !== SIG_BYTES) return null;
  let policyId: string;
  try {
    policyId = strictUtf8.decode(policyBytes);
  } catch {
    return null;
  }
  if (!(await crypto.subtle.verify("HMAC", key, sig, utf8.encode(body)))) return null;
  if (tag === PINNED) return { arm, policyId, epoch, sid, startedAt, lastSeenAt: startedAt, pinnedUntil: clock };
  return { arm, policyId, epoch, sid, startedAt, lastSeenAt: clock };
}

/**
 * Seconds the browser should keep the cookie: until the earlier of the idle and the maximum deadline (a pinned
 * session: until its pin ends), so a cookie the server would ignore anyway is not sent. 0 when the session is over.
 */
export function cookieMaxAge(
  claims: SessionClaims,
  stickiness: { idleTTL: number; maximumTTL: number },
  nowS: number,
): number {
  const end =
    claims.pinnedUntil ?? Math.min(claims.lastSeenAt + stickiness.idleTTL, claims.startedAt + stickiness.maximumTTL);
  return Math.max(0, Math.floor(end - nowS));
}

/** A decimal integer of 1..15 digits (always a safe integer), else -1. */
function parseUint(text: string): number {
  if (text.length === 0 || text.length > 15) return -1;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** A non-empty run of base64url characters (a session id as newSessionId makes them). */
function isBase64url(text: string): boolean {
  if (text.length === 0 || text.length > 64) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ok =
      (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 /* - */ || c === 95; /* _ */
    if (!ok) return false;
  }
  return true;
}
