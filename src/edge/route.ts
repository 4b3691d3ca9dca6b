/**
 * The routing shell: reads the viewer's sticky-session cookie, verifies it, asks the pure `decide()` which arm
 * serves the request, and says which Set-Cookie (if any) the response must carry. All policy logic lives in
 * src/routing; this file only does the I/O around it (headers, WebCrypto, the isolate's key cache).
 */
import { serialize } from "hono/utils/cookie";
import type { Settings } from "../env.js";
import type { Arm, ViewerHostConfig } from "../model/edge-config.js";
import { cookieValue } from "../routing/cookie-value.js";
import { type Decision, decide, type RouteReason } from "../routing/decide.js";
import {
  cookieMaxAge,
  importSessionKey,
  MIN_SECRET_LENGTH,
  type SessionClaims,
  signSession,
  verifySession,
} from "../routing/session-cookie.js";
import { StringMemo } from "./string-memo.js";

export interface Routed {
  arm: Arm;
  reason: RouteReason | "no-session-secret";
  /** A complete Set-Cookie header value, when the response must (re)issue the session cookie. */
  setCookie: string | null;
}

/**
 * Imported keys, per secret. The resolved CryptoKey is kept, never the import's Promise: a Promise settled in one
 * request's I/O context makes later requests that await it wait on that context.
 */
const keys = new Map<string, CryptoKey>();

/** The key for `secret`: synchronously once imported (every request but an isolate's first). */
export function sessionKey(secret: string): CryptoKey | Promise<CryptoKey> {
  const key = keys.get(secret);
  if (key !== undefined) return key;
  return importSessionKey(secret).then((imported) => {
    keys.set(secret, imported);
    return imported;
  });
}

/**
 * Cookies already verified, per key. A returning viewer sends the same cookie string on every request until the
 * idle clock re-signs it (at most once a minute), so the HMAC runs once per cookie per isolate rather than once
 * per request. Only successes are remembered (a stream of forged cookies cannot fill it), the exact string is the
 * key, and the map is bounded: past the limit it starts over.
 */
const verified = new StringMemo<CryptoKey, SessionClaims>(10_000);

/** A cookie seen before answers synchronously; a new one is verified (WebCrypto, a promise). */
function verifyCached(value: string, key: CryptoKey): SessionClaims | Promise<SessionClaims | null> {
  const known = verified.get(key, value);
  if (known !== undefined) return known;
  return verifySession(value, key).then((claims) => {
    if (claims !== null) verified.set(key, value, Object.freeze(claims));
    return claims;
  });
}

let warnedNoSecret = false;

/**
 * The arm for this request, and the cookie to (re)issue. Synchronous in steady state: without a sticky policy
 * there is nothing to verify or sign, and a returning viewer's cookie was verified before and needs no re-signing
 * on most requests. A promise only when WebCrypto must run (a key import, a new cookie, a signature to issue).
 */
export function routeRequest(
  config: ViewerHostConfig,
  headers: Headers,
  s: Settings,
  secret: string | undefined,
  nowS: number,
  secure: boolean,
): Routed | Promise<Routed> {
  const r: RouteInput = { config, headers, s, nowS, secure };
  const policy = config.policy;
  const sticky =
    policy?.enabled === true &&
    policy.traffic.type === "SingleWeight" &&
    policy.traffic.stickiness !== null &&
    !s.forcePrimary;
  if (sticky) return routeSticky(r, secret);
  // Outside sticky mode the cookie matters only for a preview link's session, and only while links may be open.
  const previewUntil = config.previewUntil;
  if (previewUntil !== undefined && previewUntil > nowS && policy !== null) return routePreviewSession(r, secret);
  const decision = decideFor(r, null);
  return { arm: decision.arm, reason: decision.reason, setCookie: null };
}

/** One request's routing inputs, as the steps below share them. */
interface RouteInput {
  config: ViewerHostConfig;
  /** The viewer request's headers. */
  headers: Headers;
  s: Settings;
  nowS: number;
  secure: boolean;
}

function decideFor(r: RouteInput, session: SessionClaims | null): Decision {
  return decide({
    policy: r.config.policy,
    stagingEnabled: r.config.staging?.enabled ?? false,
    forcePrimary: r.s.forcePrimary,
    header: (name) => r.headers.get(name),
    session,
    nowS: r.nowS,
    random: Math.random,
  });
}

function routeSticky(r: RouteInput, secret: string | undefined): Routed | Promise<Routed> {
  if (secret === undefined || secret.length < MIN_SECRET_LENGTH) {
    if (!warnedNoSecret) {
      warnedNoSecret = true;
      console.error(JSON.stringify({ msg: "SESSION_SECRET is missing or too short: sticky policies serve primary" }));
    }
    return { arm: "primary", reason: "no-session-secret", setCookie: null };
  }
  const key = sessionKey(secret);
  return key instanceof Promise ? key.then((k) => routeWithKey(r, k)) : routeWithKey(r, key);
}

function routeWithKey(r: RouteInput, key: CryptoKey): Routed | Promise<Routed> {
  const name = r.s.sessionCookieName;
  const header = r.headers.get("cookie");
  const value = header === null ? undefined : cookieValue(header, name);
  const session = value === undefined ? null : verifyCached(value, key);
  return session instanceof Promise ? session.then((v) => routeSession(r, key, v)) : routeSession(r, key, session);
}

/**
 * Header or non-sticky weight mode (or a disabled policy) while preview links may be open: the sticky path's cookie
 * reading, whose decision honours a pinned session and never issues a cookie here. Without a usable secret no
 * cookie can be trusted, and the traffic rule decides alone.
 */
function routePreviewSession(r: RouteInput, secret: string | undefined): Routed | Promise<Routed> {
  if (secret === undefined || secret.length < MIN_SECRET_LENGTH) {
    const decision = decideFor(r, null);
    return { arm: decision.arm, reason: decision.reason, setCookie: null };
  }
  const key = sessionKey(secret);
  return key instanceof Promise ? key.then((k) => routeWithKey(r, k)) : routeWithKey(r, key);
}

/** The decision for a verified session (or none), and the cookie to issue when it asks for one. */
function routeSession(r: RouteInput, key: CryptoKey, session: SessionClaims | null): Routed | Promise<Routed> {
  const decision = decideFor(r, session);
  const { arm, reason, issue, stickiness } = decision;
  if (issue === null || stickiness === null) return { arm, reason, setCookie: null };
  return signSession(issue, key).then((signed) => ({
    arm,
    reason,
    setCookie: serialize(r.s.sessionCookieName, signed, {
      path: "/",
      maxAge: cookieMaxAge(issue, stickiness, r.nowS),
      httpOnly: true,
      sameSite: "Lax",
      secure: r.secure,
    }),
  }));
}
