/**
 * AWS Signature Version 4 verification for the control API (service `cloudfront`, region `us-east-1`), so AWS
 * SDKs, botocore and the AWS CLI can call it with ordinary credentials. Returns a tagged failure for every
 * expected problem and never throws. Follows the canonical form that the real signers produce (smithy's
 * SignatureV4 and botocore's SigV4Auth), which is what AWS verifies against:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 *
 * - Canonical URI: the path as received (with any endpoint prefix such as /_cd: the signers keep and sign it),
 *   dot and empty segments removed, each segment URI-encoded once more. Non-S3 signers encode the already-encoded
 *   wire path again, so "a%20b" on the wire is "a%2520b" in the canonical request.
 * - Canonical query: every pair decoded, then RFC 3986-encoded and sorted by key, then value.
 * - Payload hash: x-amz-content-sha256 when sent (it must then equal sha256(body) unless UNSIGNED-PAYLOAD, which
 *   the signer then also signed), else sha256(body): botocore hashes the body itself and sends no such header.
 * - Both the Authorization header form and the presigned query form (X-Amz-Signature) are accepted.
 */

export type SigV4Failure =
  | "missing"
  | "malformed"
  | "unknown-key"
  | "wrong-scope"
  | "clock-skew"
  | "body-hash-mismatch"
  | "bad-signature";

export interface SignedRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: Uint8Array;
}

export type SigV4Result = { ok: true; accessKeyId: string } | { ok: false; reason: SigV4Failure };

const ALGORITHM = "AWS4-HMAC-SHA256";
const REGION = "us-east-1";
const SERVICE = "cloudfront";
const TERMINATOR = "aws4_request";
const MAX_SKEW_MS = 15 * 60 * 1000;
/** AWS's limit on X-Amz-Expires: one week. */
const MAX_PRESIGN_S = 604_800;
const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
const utf8 = new TextEncoder();

/** "AKID:SECRET,AKID2:SECRET2": entries trimmed; empty entries and entries without both parts skipped. */
export function parseAccessKeys(spec: string): ReadonlyMap<string, string> {
  const keys = new Map<string, string>();
  for (const entry of spec.split(",")) {
    const colon = entry.indexOf(":");
    if (colon < 0) continue;
    const id = entry.slice(0, colon).trim();
    const secret = entry.slice(colon + 1).trim();
    if (id !== "" && secret !== "") keys.set(id, secret);
  }
  return keys;
}

/** What the client claims: who signed, under which scope, when, over which headers, and the signature. */
interface Credentials {
  accessKeyId: string;
  scopeDate: string;
  region: string;
  service: string;
  terminator: string;
  signedHeaders: string;
  signature: Uint8Array;
  /** The request time in the ISO 8601 basic form the string to sign uses (20240101T000000Z). */
  amzDate: string;
  dateMs: number;
  /** Presigned URLs only: validity in seconds; null for the header form. */
  expiresS: number | null;
}

const fail = (reason: SigV4Failure): SigV4Result => ({ ok: false, reason });

export async function verifySigV4(
  req: SignedRequest,
  keys: ReadonlyMap<string, string>,
  nowMs: number,
): Promise<SigV4Result> {
  try {
    const authorization = req.headers.get("authorization");
    const presigned = authorization === null && req.url.searchParams.has("X-Amz-Algorithm");
    if (authorization === null && !presigned) return fail("missing");
    const creds = authorization !== null ? fromHeader(authorization, req.headers) : fromQuery(req.url.searchParams);
    if (creds === null) return fail("malformed");
    const secret = keys.get(creds.accessKeyId);
    if (secret === undefined) return fail("unknown-key");
    if (
      creds.region !== REGION ||
      creds.service !== SERVICE ||
      creds.terminator !== TERMINATOR ||
      creds.scopeDate !== creds.amzDate.slice(0, 8)
    ) {
      return fail("wrong-scope");
    }
    const early = nowMs < creds.dateMs - MAX_SKEW_MS;
    const late = nowMs > creds.dateMs + (creds.expiresS === null ? MAX_SKEW_MS : creds.expiresS * 1000);
    if (early || late) return fail("clock-skew");

    const bodyHash = toHex(await crypto.subtle.digest("SHA-256", req.body));
    const declared = req.headers.get("x-amz-content-sha256");
    if (declared !== null && declared !== UNSIGNED_PAYLOAD && declared !== bodyHash) return fail("body-hash-mismatch");

    const canonical = canonicalRequest(req, creds, presigned, declared ?? bodyHash);
    if (canonical === null) return fail("bad-signature");
    const scope = `${creds.scopeDate}/${REGION}/${SERVICE}/${TERMINATOR}`;
    const stringToSign = `${ALGORITHM}\n${creds.amzDate}\n${scope}\n${toHex(await sha256(canonical))}`;
    const key = await signingKey(secret, creds.scopeDate);
    const ok = await crypto.subtle.verify("HMAC", key, creds.signature, utf8.encode(stringToSign));
    return ok ? { ok: true, accessKeyId: creds.accessKeyId } : fail("bad-signature");
  } catch {
    // Nothing above should throw on input; this keeps the "never throws" promise for anything overlooked.
    return fail("malformed");
  }
}

/** `AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request, SignedHeaders=a;b, Signature=hex`. */
function fromHeader(value: string, headers: Headers): Credentials | null {
  const text = value.trim();
  if (!text.startsWith(`${ALGORITHM} `)) return null;
  const fields = new Map<string, string>();
  for (const part of text.slice(ALGORITHM.length).split(",")) {
    const eq = part.indexOf("=");
    const name = part.slice(0, Math.max(0, eq)).trim();
    if (eq < 0 || fields.has(name)) return null;
    fields.set(name, part.slice(eq + 1).trim());
  }
  if (fields.size !== 3) return null;
  const date = requestDate(headers);
  if (date === null) return null;
  return credentials(fields.get("Credential"), fields.get("SignedHeaders"), fields.get("Signature"), date, null);
}

/** Presigned URL: X-Amz-Algorithm, -Credential, -Date, -Expires, -SignedHeaders, -Signature in the query. */
function fromQuery(q: URLSearchParams): Credentials | null {
  if (q.get("X-Amz-Algorithm") !== ALGORITHM) return null;
  const date = parseAmzDate(q.get("X-Amz-Date") ?? "");
  const expiresText = q.get("X-Amz-Expires") ?? "";
  const expires = /^[0-9]{1,6}$/.test(expiresText) ? Number(expiresText) : -1;
  if (date === null || expires < 1 || expires > MAX_PRESIGN_S) return null;
  const [credential, signedHeaders, signature] = ["Credential", "SignedHeaders", "Signature"].map(
    (name) => q.get(`X-Amz-${name}`) ?? undefined,
  );
  return credentials(credential, signedHeaders, signature, date, expires);
}

function credentials(
  credential: string | undefined,
  signedHeaders: string | undefined,
  signature: string | undefined,
  date: { amzDate: string; dateMs: number },
  expiresS: number | null,
): Credentials | null {
  if (credential === undefined || signedHeaders === undefined || signature === undefined) return null;
  const scope = credential.split("/");
  if (scope.length !== 5) return null;
  const [accessKeyId = "", scopeDate = "", region = "", service = "", terminator = ""] = scope;
  if (accessKeyId === "" || !/^[0-9]{8}$/.test(scopeDate) || !/^[0-9a-f]{64}$/.test(signature)) return null;
  // The signed header list must be well formed and, as AWS requires, include host.
  const names = signedHeaders.split(";");
  if (!names.includes("host") || names.some((n) => !/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(n))) return null;
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[i] = Number.parseInt(signature.slice(i * 2, i * 2 + 2), 16);
  return { accessKeyId, scopeDate, region, service, terminator, signedHeaders, signature: bytes, expiresS, ...date };
}

/** x-amz-date (ISO 8601 basic), else the HTTP Date header; null when neither is present and valid. */
function requestDate(headers: Headers): { amzDate: string; dateMs: number } | null {
  const amz = headers.get("x-amz-date");
  if (amz !== null) return parseAmzDate(amz.trim());
  const http = headers.get("date");
  const ms = http === null ? Number.NaN : Date.parse(http);
  return Number.isNaN(ms) ? null : { amzDate: formatAmzDate(ms), dateMs: ms };
}

function parseAmzDate(text: string): { amzDate: string; dateMs: number } | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (m === null) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const ms = Date.UTC(y ?? 0, (mo ?? 0) - 1, d, h, mi, s);
  // Date.UTC rolls 20240230 over to March: a round trip rejects impossible dates.
  return formatAmzDate(ms) === text ? { amzDate: text, dateMs: ms } : null;
}

function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** The canonical request, or null when a signed header is absent from the request. */
function canonicalRequest(req: SignedRequest, creds: Credentials, presigned: boolean, payloadHash: string) {
  let headerLines = "";
  for (const name of creds.signedHeaders.split(";")) {
    let value = name === "host" ? (req.headers.get("host") ?? req.url.host) : req.headers.get(name);
    // botocore sends and signs `If-Match:` with an empty value when IfMatch="" is passed; workerd drops an empty
    // If-Match before the worker sees it. Absent and empty mean the same (no version given), so the signature is
    // checked against the empty value and the request goes on to InvalidIfMatchVersion, as on CloudFront.
    if (value === null && name === "if-match") value = "";
    if (value === null) return null;
    headerLines += `${name}:${value.trim().replace(/[ \t]+/g, " ")}\n`;
  }
  const query = canonicalQuery(req.url.search, presigned);
  return `${req.method.toUpperCase()}\n${canonicalPath(req.url.pathname)}\n${query}\n${headerLines}\n${creds.signedHeaders}\n${payloadHash}`;
}

function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(rfc3986(segment));
  }
  if (segments.length === 0) return "/";
  return `/${segments.join("/")}${path.endsWith("/") ? "/" : ""}`;
}

/** Throws URIError on bad %-escapes: verifySigV4's catch turns that into "malformed". */
function canonicalQuery(search: string, presigned: boolean): string {
  const pairs: [string, string][] = [];
  for (const part of search.slice(1).split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    if (presigned && key === "X-Amz-Signature") continue;
    pairs.push([rfc3986(key), rfc3986(eq < 0 ? "" : decodeURIComponent(part.slice(eq + 1)))]);
  }
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

/** RFC 3986: everything but A-Z a-z 0-9 - . _ ~ percent-encoded as UTF-8. */
function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

async function sha256(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", utf8.encode(text));
}

async function hmac(key: BufferSource, data: string): Promise<ArrayBuffer> {
  const k = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return crypto.subtle.sign("HMAC", k, utf8.encode(data));
}

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"), as a verify key. */
async function signingKey(secret: string, date: string): Promise<CryptoKey> {
  const kDate = await hmac(utf8.encode(`AWS4${secret}`), date);
  const kRegion = await hmac(kDate, REGION);
  const kService = await hmac(kRegion, SERVICE);
  const kSigning = await hmac(kService, TERMINATOR);
  return crypto.subtle.importKey("raw", kSigning, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
}

function toHex(buffer: ArrayBuffer): string {
  let out = "";
  for (const byte of new Uint8Array(buffer)) out += byte.toString(16).padStart(2, "0");
  return out;
}
