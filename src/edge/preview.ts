/**
 * Opening a preview link on the viewer path. Reached only for a host whose record says links may be open
 * (`previewUntil`) and a request with a query string, so every other request pays nothing. A valid token for this
 * primary, unexpired, while the staging distribution is attached and enabled (and FORCE_PRIMARY is off), answers
 * with a redirect to the same URL without the token and a session cookie pinned to the link's arm until the link
 * expires: the token never reaches the origin, the cache key or the Referer of the next page. Anything else (no
 * valid signature, another primary, expired, a method other than GET/HEAD) is ignored: the request is routed as if
 * the parameter were an ordinary one.
 */
import { serialize } from "hono/utils/cookie";
import type { Settings } from "../env.js";
import type { ViewerHostConfig } from "../model/edge-config.js";
import { newSessionId } from "../routing/bucket.js";
import { takePreviewParam, verifyPreviewToken } from "../routing/preview-token.js";
import { cookieMaxAge, MIN_SECRET_LENGTH, type SessionClaims, signSession } from "../routing/session-cookie.js";
import { sessionKey } from "./route.js";
import type { ViewerUrl } from "./viewer-url.js";

export interface PreviewInput {
  config: ViewerHostConfig;
  request: Request;
  url: ViewerUrl;
  s: Settings;
  secret: string | undefined;
  nowS: number;
  secure: boolean;
}

/** null when the query carries no preview token (synchronously: the common case); else the redirect, or null. */
export function openPreviewLink(p: PreviewInput): Promise<Response | null> | null {
  const found = takePreviewParam(p.url.search);
  if (found === null) return null;
  return redirectWithSession(p, found.token, found.rest);
}

async function redirectWithSession(p: PreviewInput, token: string, rest: string): Promise<Response | null> {
  const { config, secret, nowS } = p;
  const policy = config.policy;
  const method = p.request.method;
  if (method !== "GET" && method !== "HEAD") return null;
  if (secret === undefined || secret.length < MIN_SECRET_LENGTH) return null;
  if (policy === null || config.staging?.enabled !== true || p.s.forcePrimary) return null;
  const key = await sessionKey(secret);
  const claims = await verifyPreviewToken(token, key);
  if (claims === null || claims.primaryId !== config.primary.id || !(nowS < claims.expiresAt)) return null;
  const session: SessionClaims = {
    arm: claims.arm,
    policyId: policy.id,
    epoch: policy.epoch,
    sid: newSessionId(Math.random),
    startedAt: nowS,
    lastSeenAt: nowS,
    pinnedUntil: claims.expiresAt,
  };
  const cookie = serialize(p.s.sessionCookieName, await signSession(session, key), {
    path: "/",
    // The stickiness TTLs do not bound a pinned session; the link's expiry does.
    maxAge: cookieMaxAge(session, { idleTTL: 0, maximumTTL: 0 }, nowS),
    httpOnly: true,
    sameSite: "Lax",
    secure: p.secure,
  });
  return new Response(null, {
    status: 302,
    headers: {
      location: `${p.url.protocol}//${p.url.host}${p.url.pathname}${rest}`,
      "set-cookie": cookie,
      "cache-control": "no-store",
    },
  });
}
