/**
 * Origins and origin groups as CloudFront validates them: counts, ids, domain names (host names; S3 bucket
 * endpoints for S3 origins), OriginPath, custom headers (tokens, CloudFront's forbidden list, counts and lengths),
 * ports, connection attempts and timeouts, read and keep-alive timeouts, Origin Shield, origin access, and the two
 * members and failover codes of a group. Pure; returns the set of ids a behaviour may target.
 */
import type { CustomHeaders, Origin, OriginGroup } from "@aws-sdk/client-cloudfront";
import { invalid, ok, type Result, refuse } from "../result.js";
import {
  CONNECTION_ATTEMPTS,
  CONNECTION_TIMEOUT_S,
  FAILOVER_STATUS_CODES,
  FORBIDDEN_CUSTOM_HEADER_PREFIXES,
  FORBIDDEN_CUSTOM_HEADERS,
  isAllowedOriginPort,
  MAX_CUSTOM_HEADER_NAME,
  MAX_CUSTOM_HEADER_VALUE,
  MAX_CUSTOM_HEADERS,
  MAX_CUSTOM_HEADERS_TOTAL,
  MAX_IDENTIFIER,
  MAX_ORIGIN_GROUPS,
  MAX_ORIGINS,
  MAX_PATH,
  ORIGIN_KEEPALIVE_TIMEOUT_S,
  ORIGIN_READ_TIMEOUT_S,
} from "./limits.js";
import {
  charLength,
  isFieldValue,
  isHostName,
  isIpv4,
  isRegionCode,
  isS3BucketEndpoint,
  isToken,
  isUrlPath,
} from "./syntax.js";

type Range = { readonly min: number; readonly max: number };
const within = (n: number | undefined, r: Range): boolean => n === undefined || (n >= r.min && n <= r.max);

const READ_TIMEOUT = `The read timeout specified for the origin is not valid: it must be between ${ORIGIN_READ_TIMEOUT_S.min} and ${ORIGIN_READ_TIMEOUT_S.max} seconds.`;
const KEEPALIVE_TIMEOUT = `The keep alive timeout specified for the origin is not valid: it must be between ${ORIGIN_KEEPALIVE_TIMEOUT_S.min} and ${ORIGIN_KEEPALIVE_TIMEOUT_S.max} seconds.`;
/** CloudFront's default read timeout, against which ResponseCompletionTimeout is compared when none is given. */
const DEFAULT_READ_TIMEOUT_S = 30;

/** Validates Origins and OriginGroups; the result is every id a cache behaviour may name as its target. */
export function validateOrigins(origins: Origin[], groups: OriginGroup[]): Result<ReadonlySet<string>> {
  if (origins.length === 0) return invalid("The parameter Origins must contain at least one origin.");
  if (origins.length > MAX_ORIGINS) {
    return refuse("too-many-origins", `You cannot create more origins for the distribution (at most ${MAX_ORIGINS}).`);
  }
  if (groups.length > MAX_ORIGIN_GROUPS) {
    return refuse(
      "too-many-origin-groups",
      `Processing your request would cause you to exceed the maximum number of origin groups allowed (${MAX_ORIGIN_GROUPS}).`,
    );
  }
  const ids = new Set<string>();
  for (const o of origins) {
    const r = validateOrigin(o, ids);
    if (!r.ok) return r;
    ids.add(o.Id ?? "");
  }
  const originIds: ReadonlySet<string> = new Set(ids);
  for (const g of groups) {
    const r = validateGroup(g, ids, originIds);
    if (!r.ok) return r;
    ids.add(g.Id ?? "");
  }
  return ok(ids);
}

function validateId(id: string, taken: ReadonlySet<string>, what: string): Result<true> {
  if (id === "" || charLength(id) > MAX_IDENTIFIER) {
    return invalid(`The parameter ${what} Id must be 1 to ${MAX_IDENTIFIER} characters.`);
  }
  if (taken.has(id)) return invalid(`The parameter ${what} Id must be unique within the distribution: ${id}.`);
  return ok(true);
}

function validateOrigin(o: Origin, taken: ReadonlySet<string>): Result<true> {
  const id = o.Id ?? "";
  const idOk = validateId(id, taken, "Origin");
  if (!idOk.ok) return idOk;
  const kinds = [o.S3OriginConfig, o.CustomOriginConfig, o.VpcOriginConfig].filter((k) => k !== undefined);
  if (kinds.length !== 1) {
    return refuse("invalid-origin", "You must specify either a CustomOrigin or an S3Origin. You cannot specify both.");
  }
  const domain = o.DomainName ?? "";
  if (domain.includes(":")) return invalid("The parameter origin name cannot contain a colon.");
  // CloudFront takes domain names only; an IPv4 address is accepted here because local origins are loopback.
  if (!isHostName(domain) && !isIpv4(domain)) return invalid("The parameter origin name must be a domain name.");
  if (o.S3OriginConfig !== undefined && !isS3BucketEndpoint(domain)) {
    return invalid("The parameter Origin DomainName does not refer to a valid S3 bucket.");
  }
  const path = o.OriginPath ?? "";
  if (path !== "" && (path.length > MAX_PATH || !isUrlPath(path) || path.endsWith("/"))) {
    return invalid(
      `The parameter OriginPath of origin ${id} must begin with a slash, must not end with one, and must be a URL path.`,
    );
  }
  const headers = validateCustomHeaders(o.CustomHeaders, id);
  if (!headers.ok) return headers;
  if (!within(o.ConnectionAttempts, CONNECTION_ATTEMPTS)) {
    return invalid(`The parameter ConnectionAttempts of origin ${id} must be between 1 and 3.`);
  }
  if (!within(o.ConnectionTimeout, CONNECTION_TIMEOUT_S)) {
    return invalid(`The parameter ConnectionTimeout of origin ${id} must be between 1 and 10 seconds.`);
  }
  const kind = validateOriginKind(o, id);
  if (!kind.ok) return kind;
  if (o.OriginShield?.Enabled === true && !isRegionCode(o.OriginShield.OriginShieldRegion ?? "")) {
    return invalid(`The parameter OriginShieldRegion of origin ${id} must be an AWS Region code when enabled.`);
  }
  return ok(true);
}

/** The settings of the origin's one kind: custom (ports, timeouts, TLS), S3 (origin access) or VPC. */
function validateOriginKind(o: Origin, id: string): Result<true> {
  const custom = o.CustomOriginConfig;
  const readTimeout =
    custom?.OriginReadTimeout ?? o.S3OriginConfig?.OriginReadTimeout ?? o.VpcOriginConfig?.OriginReadTimeout;
  const keepalive = custom?.OriginKeepaliveTimeout ?? o.VpcOriginConfig?.OriginKeepaliveTimeout;
  if (!within(readTimeout, ORIGIN_READ_TIMEOUT_S)) return refuse("invalid-origin-read-timeout", READ_TIMEOUT);
  if (!within(keepalive, ORIGIN_KEEPALIVE_TIMEOUT_S)) {
    return refuse("invalid-origin-keepalive-timeout", KEEPALIVE_TIMEOUT);
  }
  const completion = o.ResponseCompletionTimeout;
  if (completion !== undefined && completion < (readTimeout ?? DEFAULT_READ_TIMEOUT_S)) {
    return invalid(
      `The parameter ResponseCompletionTimeout of origin ${id} must be equal to or greater than OriginReadTimeout.`,
    );
  }
  if (custom !== undefined) {
    for (const [name, port] of [
      ["HTTPPort", custom.HTTPPort],
      ["HTTPSPort", custom.HTTPSPort],
    ] as const) {
      if (port !== undefined && !isAllowedOriginPort(port)) {
        return invalid(`The parameter ${name} of origin ${id} must be 80, 443, or 1024 to 65535.`);
      }
    }
    const protocols = custom.OriginSslProtocols?.Items;
    if (protocols !== undefined && (protocols.length === 0 || new Set(protocols).size !== protocols.length)) {
      return invalid(`The parameter OriginSslProtocols of origin ${id} must list each protocol once, at least one.`);
    }
  }
  const oai = o.S3OriginConfig?.OriginAccessIdentity ?? "";
  if (oai !== "" && !/^origin-access-identity\/cloudfront\/[A-Z0-9]{1,64}$/.test(oai)) {
    return refuse("invalid-origin-access-identity", "The origin access identity is not valid or doesn't exist.");
  }
  if (oai !== "" && (o.OriginAccessControlId ?? "") !== "") {
    return refuse(
      "illegal-origin-access-configuration",
      "An origin cannot contain both an origin access control (OAC) and an origin access identity (OAI).",
    );
  }
  return ok(true);
}

function validateCustomHeaders(headers: CustomHeaders | undefined, id: string): Result<true> {
  const items = headers?.Items ?? [];
  if (items.length > MAX_CUSTOM_HEADERS) {
    return refuse(
      "too-many-origin-custom-headers",
      `Your request contains too many origin custom headers (at most ${MAX_CUSTOM_HEADERS} per origin).`,
    );
  }
  const seen = new Set<string>();
  let total = 0;
  for (const h of items) {
    const name = h.HeaderName ?? "";
    const value = h.HeaderValue ?? "";
    const lower = name.toLowerCase();
    if (!isToken(name) || name.length > MAX_CUSTOM_HEADER_NAME) {
      return invalid(`The parameter HeaderName of origin ${id} must be an HTTP header name of at most 256 characters.`);
    }
    if (FORBIDDEN_CUSTOM_HEADERS.has(lower) || FORBIDDEN_CUSTOM_HEADER_PREFIXES.some((p) => lower.startsWith(p))) {
      return invalid(`The parameter HeaderName of origin ${id} is a header CloudFront cannot add: ${name}.`);
    }
    if (seen.has(lower)) return invalid(`The parameter HeaderName of origin ${id} is repeated: ${name}.`);
    seen.add(lower);
    if (!isFieldValue(value) || charLength(value) > MAX_CUSTOM_HEADER_VALUE) {
      return invalid(
        `The parameter HeaderValue of header ${name} of origin ${id} must be at most 1783 characters, without control characters.`,
      );
    }
    total += charLength(name) + charLength(value);
  }
  if (total > MAX_CUSTOM_HEADERS_TOTAL) {
    return invalid(`The custom headers of origin ${id} are longer than ${MAX_CUSTOM_HEADERS_TOTAL} characters in all.`);
  }
  return ok(true);
}

function validateGroup(g: OriginGroup, taken: ReadonlySet<string>, originIds: ReadonlySet<string>): Result<true> {
  const id = g.Id ?? "";
  const idOk = validateId(id, taken, "OriginGroup");
  if (!idOk.ok) return idOk;
  const members = (g.Members?.Items ?? []).map((m) => m.OriginId ?? "");
  if (members.length !== 2 || members[0] === members[1]) {
    return invalid(`The origin group ${id} must have exactly two different members.`);
  }
  if (members.some((m) => !originIds.has(m))) {
    return refuse("no-such-origin", "One or more of your origins or origin groups do not exist.");
  }
  const codes = g.FailoverCriteria?.StatusCodes?.Items ?? [];
  if (codes.length === 0 || codes.some((c) => !FAILOVER_STATUS_CODES.has(c)) || new Set(codes).size !== codes.length) {
    return invalid(
      `The failover status codes of origin group ${id} must be distinct values of ${[...FAILOVER_STATUS_CODES].join(", ")}.`,
    );
  }
  return ok(true);
}
