/**
 * The preview-link token: which primary, which arm, until when, signed with HMAC-SHA-256 under SESSION_SECRET
 * (the sticky cookie's key, so rotating the secret revokes every link and every session a link opened).
 *
 *   pt1.<arm p|s>.<expiresAt unix s>.<base64url(primary distribution id)>.<base64url(HMAC over all before it)>
 *
 * The tag is signed, so a token cannot pass as a session cookie or the other way round; the expiry is signed, so a
 * link cannot be extended. Verification parses without regexes and compares the signature with
 * crypto.subtle.verify (constant time); anything wrong is null, never an exception.
 */
import type { Arm } from "../model/edge-config.js";
import { decodeBase64url, encodeBase64url } from "./base64url.js";

/** The query parameter a link carries its token in. */
export const PREVIEW_PARAM = "sf-preview";

export interface PreviewClaims {
  arm: Arm;
  primaryId: string;
  /** Unix seconds. */
  expiresAt: number;
}

const TAG = "pt1";
const SIG_BYTES = 32;
const MAX_LENGTH = 512;
const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export async function signPreviewToken(claims: PreviewClaims, key: CryptoKey): Promise<string> {
  const body = [
    TAG,
    claims.arm === "staging" ? "s" : "p",
    claims.expiresAt,
    encodeBase64url(utf8.encode(claims.primaryId)),
  ].join(".");
  const sig = await crypto.subtle.sign("HMAC", key, utf8.encode(body));
  return `${body}.${encodeBase64url(new Uint8Array(sig))}`;
}

/** The claims of a well-formed token with a valid signature (expiry not checked here), else null. */
export async function verifyPreviewToken(value: string, key: CryptoKey): Promise<PreviewClaims | null> {
  if (value.length > MAX_LENGTH) return null;
  const parts = value.split(".");
  if (parts.length !== 5 || parts[0] !== TAG) return null;
  const [, armCode = "", expiresText = "", idText = "", sigText = ""] = parts;
  const arm: Arm | null = armCode === "s" ? "staging" : armCode === "p" ? "primary" : null;
  const expiresAt = /^[0-9]{1,15}$/.test(expiresText) ? Number(expiresText) : -1;
  const idBytes = decodeBase64url(idText);
  const sig = decodeBase64url(sigText);
  if (arm === null || expiresAt < 0 || idBytes === null || sig === null || sig.length !== SIG_BYTES) return null;
  let primaryId: string;
  try {
    primaryId = strictUtf8.decode(idBytes);
  } catch {
    return null;
  }
  const body = value.slice(0, value.lastIndexOf("."));
  if (!(await crypto.subtle.verify("HMAC", key, sig, utf8.encode(body)))) return null;
  return { arm, primaryId, expiresAt };
}

/**
 * The token in a query string ("" or "?a=b&sf-preview=…"), and the query without it; null when the parameter is
 * absent. One indexOf when it is: the common case costs next to nothing.
 */
export function takePreviewParam(search: string): { token: string; rest: string } | null {
  const at = search.indexOf(`${PREVIEW_PARAM}=`);
  if (at < 0) return null;
  const pairs = search.slice(1).split("&");
  let token: string | null = null;
  const kept: string[] = [];
  for (const pair of pairs) {
    if (token === null && pair.startsWith(`${PREVIEW_PARAM}=`)) token = pair.slice(PREVIEW_PARAM.length + 1);
    else if (pair !== "") kept.push(pair);
  }
  if (token === null) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(token);
  } catch {
    return null;
  }
  return { token: decoded, rest: kept.length === 0 ? "" : `?${kept.join("&")}` };
}
