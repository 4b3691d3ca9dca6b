/**
 * The distribution-wide members as CloudFront validates them: CallerReference, Comment, DefaultRootObject,
 * Aliases, custom error responses, Logging, ViewerCertificate, geo restriction and WebACLId. Pure.
 */
import type {
  CustomErrorResponse,
  DistributionConfig,
  GeoRestriction,
  LoggingConfig,
  ViewerCertificate,
} from "@aws-sdk/client-cloudfront";
import { invalid, ok, type Result, refuse } from "../result.js";
import { COUNTRY_CODES } from "./country-codes.js";
import {
  CUSTOM_ERROR_CODES,
  CUSTOM_RESPONSE_CODES,
  MAX_ALIASES,
  MAX_COMMENT,
  MAX_IDENTIFIER,
  MAX_PATH,
  MAX_ROOT_OBJECT,
  MAX_TTL_S,
} from "./limits.js";
import { charLength, hasControlChar, isAliasName, isRootObjectText, isS3BucketEndpoint, isUrlPath } from "./syntax.js";

export function validateSettings(c: DistributionConfig): Result<true> {
  const checks = [identity, aliases, errorResponses, logging, viewerCertificate, geoRestriction, webAcl];
  for (const check of checks) {
    const r = check(c);
    if (!r.ok) return r;
  }
  return ok(true);
}

function identity(c: DistributionConfig): Result<true> {
  const ref = c.CallerReference ?? "";
  if (ref === "" || charLength(ref) > MAX_IDENTIFIER) {
    return invalid(`The parameter CallerReference must be 1 to ${MAX_IDENTIFIER} characters.`);
  }
  if (charLength(c.Comment ?? "") > MAX_COMMENT) {
    return invalid(`The parameter Comment cannot be longer than ${MAX_COMMENT} characters.`);
  }
  const root = c.DefaultRootObject ?? "";
  if (root !== "" && (charLength(root) > MAX_ROOT_OBJECT || !isRootObjectText(root) || root.startsWith("/"))) {
    return refuse(
      "invalid-default-root-object",
      "The default root object file name is too big or contains an invalid character.",
    );
  }
  return ok(true);
}

function aliases(c: DistributionConfig): Result<true> {
  const items = c.Aliases?.Items ?? [];
  if (items.length > MAX_ALIASES) {
    return refuse("too-many-cnames", "Your request contains more CNAMEs than are allowed per distribution.");
  }
  if (items.some((a) => !isAliasName(a))) {
    return invalid("The parameter CNAME contains one or more parameters that are not valid.");
  }
  if (new Set(items.map((a) => a.toLowerCase())).size !== items.length) {
    return invalid("The parameter CNAME contains one or more parameters that are not valid: an alias is repeated.");
  }
  return ok(true);
}

function errorResponses(c: DistributionConfig): Result<true> {
  const seen = new Set<number>();
  for (const e of c.CustomErrorResponses?.Items ?? []) {
    const r = errorResponse(e, seen);
    if (!r.ok) return r;
  }
  return ok(true);
}

function errorResponse(e: CustomErrorResponse, seen: Set<number>): Result<true> {
  const code = e.ErrorCode ?? 0;
  if (!CUSTOM_ERROR_CODES.has(code)) {
    return refuse(
      "invalid-error-code",
      `An invalid error code was specified: ${code}. Custom error responses take ${[...CUSTOM_ERROR_CODES].join(", ")}.`,
    );
  }
  if (seen.has(code)) return invalid(`The parameter ErrorCode must be unique: ${code} is given twice.`);
  seen.add(code);
  const page = e.ResponsePagePath ?? "";
  const response = e.ResponseCode ?? "";
  if ((page === "") !== (response === "")) {
    return invalid("Your request must specify both ResponsePagePath and ResponseCode together or none of them.");
  }
  if (page !== "" && (page.length > MAX_PATH || !isUrlPath(page))) {
    return refuse(
      "invalid-relative-path",
      "The relative path is too big, is not URL-encoded, or does not begin with a slash (/).",
    );
  }
  if (response !== "" && !CUSTOM_RESPONSE_CODES.has(response)) {
    return refuse("invalid-response-code", `A response code is not valid: ${response}.`);
  }
  const ttl = e.ErrorCachingMinTTL;
  if (ttl !== undefined && (ttl < 0 || ttl > MAX_TTL_S)) {
    return invalid(`The parameter ErrorCachingMinTTL must be between 0 and ${MAX_TTL_S} seconds.`);
  }
  return ok(true);
}

function logging(c: DistributionConfig): Result<true> {
  const l: LoggingConfig | undefined = c.Logging;
  if (l?.Enabled !== true) return ok(true);
  if (!isS3BucketEndpoint(l.Bucket ?? "")) {
    return invalid("The parameter Logging Bucket must be an Amazon S3 bucket such as bucket.s3.amazonaws.com.");
  }
  const prefix = l.Prefix ?? "";
  if (prefix.length > MAX_PATH || hasControlChar(prefix)) {
    return invalid(`The parameter Logging Prefix must be at most ${MAX_PATH} characters, without control characters.`);
  }
  return ok(true);
}

const ACM_ARN = /^arn:aws(?:-cn)?:acm:us-east-1:\d{12}:certificate\/[A-Za-z0-9-]{1,128}$/;

function viewerCertificate(c: DistributionConfig): Result<true> {
  const v: ViewerCertificate | undefined = c.ViewerCertificate;
  if (v === undefined) return ok(true);
  const acm = v.ACMCertificateArn ?? "";
  const iam = v.IAMCertificateId ?? "";
  const sources = [v.CloudFrontDefaultCertificate === true, acm !== "", iam !== ""].filter(Boolean).length;
  if (sources !== 1 && !(sources === 0 && (v.Certificate ?? "") !== "")) {
    return refuse(
      "invalid-viewer-certificate",
      "A viewer certificate specified is not valid: give exactly one of CloudFrontDefaultCertificate, ACMCertificateArn or IAMCertificateId.",
    );
  }
  if (acm !== "" && !ACM_ARN.test(acm)) {
    return refuse(
      "invalid-viewer-certificate",
      "A viewer certificate specified is not valid: ACMCertificateArn must be an ACM certificate in us-east-1.",
    );
  }
  if (iam !== "" && !/^[A-Z0-9]{1,32}$/.test(iam)) {
    return refuse("invalid-viewer-certificate", "A viewer certificate specified is not valid: IAMCertificateId.");
  }
  // Legacy clients support (dedicated IPs) offers only the TLSv1 and SSLv3 policies (Developer Guide, "Security
  // policy"); the others are granted by AWS Support, which splitfront cannot see.
  const version = v.MinimumProtocolVersion;
  if (v.SSLSupportMethod === "vip" && version !== undefined && version !== "TLSv1" && version !== "SSLv3") {
    return refuse(
      "invalid-minimum-protocol-version",
      `The minimum protocol version specified is not valid: ${version} is not available with SSLSupportMethod vip.`,
    );
  }
  if (v.SSLSupportMethod === "sni-only" && version === "SSLv3") {
    return refuse(
      "invalid-protocol-settings",
      "You cannot specify SSLv3 as the minimum protocol version if you only want to support only clients that support Server Name Indication (SNI).",
    );
  }
  return ok(true);
}

function geoRestriction(c: DistributionConfig): Result<true> {
  const g: GeoRestriction | undefined = c.Restrictions?.GeoRestriction;
  if (g === undefined) return ok(true);
  const items = g.Items ?? [];
  if (g.RestrictionType === "none" ? items.length > 0 : items.length === 0) {
    return refuse(
      "invalid-geo-restriction",
      "The specified geo restriction parameter is not valid: whitelist and blacklist need countries, none takes none.",
    );
  }
  const bad = items.find((l) => !COUNTRY_CODES.has(l));
  if (bad !== undefined) return refuse("invalid-location-code", `The location code specified is not valid: ${bad}.`);
  if (new Set(items).size !== items.length) {
    return refuse(
      "invalid-geo-restriction",
      "The specified geo restriction parameter is not valid: a country is repeated.",
    );
  }
  return ok(true);
}

const WAF_V2_ARN = /^arn:aws(?:-cn)?:wafv2:us-east-1:\d{12}:global\/webacl\/[A-Za-z0-9_-]{1,128}\/[0-9a-f-]{36}$/;
const WAF_CLASSIC_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function webAcl(c: DistributionConfig): Result<true> {
  const id = c.WebACLId ?? "";
  if (id !== "" && !WAF_V2_ARN.test(id) && !WAF_CLASSIC_ID.test(id)) {
    return refuse(
      "invalid-web-acl-id",
      "A web ACL ID specified is not valid. To specify a web ACL created using the latest version of WAF, use the ACL ARN.",
    );
  }
  return ok(true);
}
