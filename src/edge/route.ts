/**
 * The routing shell: reads the viewer's sticky-session cookie, verifies it, asks the pure `decide()` which arm
 * serves the request, and says which Set-Cookie (if any) the response must carry. All policy logic lives in
 * src/routing; this file only does the I/O around it (headers, WebCrypto, the isolate's key cache).
 */
import { parse, serialize } from "hono/utils/cookie";
import type { Settings } from "../env.js";
import type { Arm, ViewerHostConfig } from "../model/edge-config.js";
import { type Decision, decide, type RouteReason } from "../routing/decide.js";
import {
  cookieMaxAge,
  importSessionKey,
  type SessionClaims,
  signSession,
  verifySession,
} from "../routing/session-cookie.js";

export interface Routed {
  arm: Arm;
  reason: RouteReason | "no-session-secret";
  /** A complete Set-Cookie header value, when the response must (re)issue the session cookie. */
  setCookie: string | null;
}

/** A key shorter than this is treated as absent: sticky routing then fails safe, to primary. */
const MIN_SECRET_LENGTH = 16;

/**
 * Imported keys, per secret. The resolved CryptoKey is kept, never the import's Promise: a Promise settled in one
 * request's I/O context makes later requests that await it wait on that context.
 */
const keys = new Map<string, CryptoKey>();

async function sessionKey(secret: string | undefined): Promise<CryptoKey | null> {
  if (secret === undefined || secret.length < MIN_SECRET_LENGTH) return null;
  let key = keys.get(secret);
  if (key === undefined) {
    key = await importSessionKey(secret);
    keys.set(secret, key);
  }
  return key;
}

/**
 * Cookies already verified, per key. A returning viewer sends the same cookie string on every request until the
 * idle clock re-signs it (at most once a minute), so the HMAC runs once per cookie per isolate rather than once
 * per request. Only successes are remembered (a stream of forged cookies cannot fill it), the exact string is the
 * key, and the map is bounded: past the limit it starts over.
 */
const verified = new WeakMap<CryptoKey, Map<string, SessionClaims>>();
const MAX_VERIFIED = 10_000;

async function verifyCached(value: string, key: CryptoKey): Promise<SessionClaims | null> {
  let seen = verified.get(key);
  if (seen === undefined) {
    seen = new Map();
    verified.set(key, seen);
  }
  const known = seen.get(value);
  if (known !== undefined) return known;
  const claims = await verifySession(value, key);
  if (claims !== null) {
    if (seen.size >= MAX_VERIFIED) seen.clear();
    seen.set(value, Object.freeze(claims));
  }
  return claims;
}

let warnedNoSecret = false;

/**
 * The arm for this request, and the cookie to (re)issue. Without a sticky policy there is nothing to verify or
 * sign, and the answer comes synchronously; a sticky policy returns a promise (WebCrypto).
 */
export function routeRequest(
  config: ViewerHostConfig,
  request: Request,
  s: Settings,
  secret: string | undefined,
  nowS: number,
  secure: boolean,
): Routed | Promise<Routed> {
  const policy = config.policy;
  const sticky =
    policy?.enabled === true &&
    policy.traffic.type === "SingleWeight" &&
    policy.traffic.stickiness !== null &&
    !s.forcePrimary;
  if (sticky) return routeSticky(config, request, s, secret, nowS, secure);
  const decision = decideFor(config, request, s, null, nowS);
  return { arm: decision.arm, reason: decision.reason, setCookie: null };
}

function decideFor(
  config: ViewerHostConfig,
  request: Request,
  s: Settings,
  session: SessionClaims | null,
  nowS: number,
): Decision {
  return decide({
    policy: config.policy,
    stagingEnabled: config.staging?.enabled ?? false,
    forcePrimary: s.forcePrimary,
    header: (name) => request.headers.get(name),
    session,
    nowS,
    random: Math.random,
  });
}

async function routeSticky(
  config: ViewerHostConfig,
  request: Request,
  s: Settings,
  secret: string | undefined,
  nowS: number,
  secure: boolean,
): Promise<Routed> {
  const key = await sessionKey(secret);
  if (key === null) {
    if (!warnedNoSecret) {
      warnedNoSecret = true;
      console.error(JSON.stringify({ msg: "SESSION_SECRET is missing or too short: sticky policies serve primary" }));
    }
    return { arm: "primary", reason: "no-session-secret", setCookie: null };
  }
  const header = request.headers.get("cookie");
  const value = header === null ? undefined : parse(header, s.sessionCookieName)[s.sessionCookieName];
  const session = value === undefined ? null : await verifyCached(value, key);
  const decision = decideFor(config, request, s, session, nowS);

  let setCookie: string | null = null;
  if (decision.issue !== null && decision.stickiness !== null) {
    const signed = await signSession(decision.issue, key);
    setCookie = serialize(s.sessionCookieName, signed, {
      path: "/",
      maxAge: cookieMaxAge(decision.issue, decision.stickiness, nowS),
      httpOnly: true,
      sameSite: "Lax",
      secure,
    });
  }
  return { arm: decision.arm, reason: decision.reason, setCookie };
}
