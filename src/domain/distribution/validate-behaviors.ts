/**
 * Cache behaviours as CloudFront validates them: count, path patterns (length, characters, unique), the target
 * (NoSuchOrigin), cache settings given one way or the other (a known cache policy, or legacy ForwardedValues with
 * TTLs in order), the origin request and response headers policies they name (managed or the account's own),
 * allowed and cached method sets, legacy whitelist sizes, Lambda@Edge and CloudFront Functions
 * associations, and the signed-URL and field-level-encryption references splitfront cannot honour. Pure.
 */
import type { CacheBehavior, DefaultCacheBehavior, ForwardedValues } from "@aws-sdk/client-cloudfront";
import { managedOnly, type PolicyExists } from "../behavior-policies/lookup.js";
import { KIND_ERRORS, type PolicyKind } from "../behavior-policies/types.js";
import { invalid, ok, type Result, refuse } from "../result.js";
import {
  ALLOWED_METHOD_SETS,
  CACHED_METHOD_SETS,
  MAX_CACHE_BEHAVIORS,
  MAX_FORWARDED_COOKIES,
  MAX_FORWARDED_HEADERS,
  MAX_FUNCTION_ASSOCIATIONS,
  MAX_LAMBDA_ASSOCIATIONS,
  MAX_PATH_PATTERN,
  MAX_QUERY_STRING_KEYS,
  MAX_TTL_S,
} from "./limits.js";
import { charLength, isPathPatternText, isToken } from "./syntax.js";

/** CloudFront's InvalidTTLOrder text, as real responses carry it. */
const TTL_ORDER =
  "MinTTL, MaxTTL and DefaultTTL should follow order MinTTL less than or equal to DefaultTTL less than or equal to MaxTTL";

export function validateBehaviors(
  def: DefaultCacheBehavior,
  behaviors: CacheBehavior[],
  targets: ReadonlySet<string>,
  exists: PolicyExists = managedOnly,
): Result<true> {
  if (behaviors.length > MAX_CACHE_BEHAVIORS) {
    return refuse(
      "too-many-cache-behaviors",
      `You cannot create more cache behaviors for the distribution (at most ${MAX_CACHE_BEHAVIORS}).`,
    );
  }
  const first = validateBehavior(def, targets, "DefaultCacheBehavior", exists);
  if (!first.ok) return first;
  const patterns = new Set<string>();
  for (const b of behaviors) {
    const p = b.PathPattern ?? "";
    if (p === "" || charLength(p) > MAX_PATH_PATTERN || !isPathPatternText(p)) {
      return invalid(
        `The parameter PathPattern must be 1 to ${MAX_PATH_PATTERN} characters of A-Z a-z 0-9 _ - . * $ / ~ " ' @ : + & ?.`,
      );
    }
    if (patterns.has(p)) return invalid(`The parameter PathPattern must be unique within the distribution: ${p}.`);
    patterns.add(p);
    const r = validateBehavior(b, targets, `CacheBehavior ${p}`, exists);
    if (!r.ok) return r;
  }
  return ok(true);
}

function validateBehavior(
  b: DefaultCacheBehavior,
  targets: ReadonlySet<string>,
  where: string,
  exists: PolicyExists,
): Result<true> {
  if (!targets.has(b.TargetOriginId ?? "")) {
    return refuse("no-such-origin", "One or more of your origins or origin groups do not exist.");
  }
  const refs = policyReferences(b, where, exists);
  if (!refs.ok) return refs;
  const checks = [cacheSettings, methods, associations, restrictedReferences];
  for (const check of checks) {
    const r = check(b, where);
    if (!r.ok) return r;
  }
  return ok(true);
}

/**
 * Each policy a behaviour names exists (NoSuchCachePolicy, NoSuchOriginRequestPolicy, NoSuchResponseHeadersPolicy),
 * and an origin request policy comes with a cache policy: with legacy ForwardedValues, those are what the origin
 * receives.
 */
function policyReferences(b: DefaultCacheBehavior, where: string, exists: PolicyExists): Result<true> {
  const named: [PolicyKind, string][] = [
    ["cache", b.CachePolicyId ?? ""],
    ["origin-request", b.OriginRequestPolicyId ?? ""],
    ["response-headers", b.ResponseHeadersPolicyId ?? ""],
  ];
  for (const [kind, id] of named) {
    if (id !== "" && !exists(kind, id)) {
      const e = KIND_ERRORS[kind];
      return refuse(e.noSuch, `The ${e.noun} does not exist: ${id} (${where}).`);
    }
  }
  if ((b.OriginRequestPolicyId ?? "") !== "" && (b.CachePolicyId ?? "") === "") {
    return invalid(`The parameter OriginRequestPolicyId can be used only with a CachePolicyId (${where}).`);
  }
  return ok(true);
}

/** A cache policy, or the legacy ForwardedValues with MinTTL; never both (CloudFront's own wording). */
function cacheSettings(b: DefaultCacheBehavior, where: string): Result<true> {
  const policy = b.CachePolicyId ?? "";
  if (policy !== "") {
    if (b.ForwardedValues !== undefined) {
      return invalid(
        "The parameter ForwardedValues cannot be used when a cache policy is associated to the cache behavior.",
      );
    }
  } else {
    if (b.ForwardedValues === undefined) return invalid(`The parameter ForwardedValues is required (${where}).`);
    if (b.MinTTL === undefined) return invalid(`The parameter MinTTL is required (${where}).`);
    const fv = forwardedValues(b.ForwardedValues, where);
    if (!fv.ok) return fv;
  }
  const ttls = [b.MinTTL, b.DefaultTTL, b.MaxTTL];
  if (ttls.some((t) => t !== undefined && (t < 0 || t > MAX_TTL_S))) {
    return invalid(`The TTLs of ${where} must be between 0 and ${MAX_TTL_S} seconds.`);
  }
  const [min, dflt, max] = ttls;
  const ordered = (a: number | undefined, z: number | undefined) => a === undefined || z === undefined || a <= z;
  if (!ordered(min, dflt) || !ordered(dflt, max) || !ordered(min, max)) return refuse("invalid-ttl-order", TTL_ORDER);
  return ok(true);
}

function forwardedValues(fv: ForwardedValues, where: string): Result<true> {
  const headers = fv.Headers?.Items ?? [];
  if (headers.length > MAX_FORWARDED_HEADERS) {
    return refuse(
      "too-many-headers-in-forwarded-values",
      `Your request contains too many headers in forwarded values (at most ${MAX_FORWARDED_HEADERS}).`,
    );
  }
  if (headers.some((h) => h !== "*" && !isToken(h)) || (headers.includes("*") && headers.length > 1)) {
    return invalid(`The forwarded headers of ${where} must be header names, or * alone.`);
  }
  const cookies = fv.Cookies;
  const names = cookies?.WhitelistedNames?.Items ?? [];
  if (cookies?.Forward === "whitelist" && names.length === 0) {
    return refuse(
      "invalid-forward-cookies",
      "Your request contains forward cookies option which doesn't match with the expectation for the whitelisted list of cookie names. Either list of cookie names has been specified when not allowed or list of cookie names is missing when expected.",
    );
  }
  if (names.length > MAX_FORWARDED_COOKIES) {
    return refuse(
      "too-many-cookie-names",
      `Your request contains more cookie names in the whitelist than are allowed per cache behavior (${MAX_FORWARDED_COOKIES}).`,
    );
  }
  if ((fv.QueryStringCacheKeys?.Items ?? []).length > MAX_QUERY_STRING_KEYS) {
    return refuse(
      "too-many-query-string-parameters",
      `Your request contains too many query string parameters (at most ${MAX_QUERY_STRING_KEYS}).`,
    );
  }
  return ok(true);
}

const sameSet = (items: readonly string[], set: readonly string[]): boolean =>
  items.length === set.length && set.every((m) => items.includes(m));

function methods(b: DefaultCacheBehavior, where: string): Result<true> {
  const allowed = b.AllowedMethods;
  if (allowed === undefined) return ok(true);
  const items = allowed.Items ?? [];
  if (!ALLOWED_METHOD_SETS.some((s) => sameSet(items, s))) {
    return invalid(
      `The parameter AllowedMethods of ${where} must be GET,HEAD or GET,HEAD,OPTIONS or GET,HEAD,OPTIONS,PUT,POST,PATCH,DELETE.`,
    );
  }
  const cached = allowed.CachedMethods?.Items;
  if (cached === undefined) return ok(true);
  if (!CACHED_METHOD_SETS.some((s) => sameSet(cached, s)) || cached.some((m) => !items.includes(m))) {
    return invalid(
      `The parameter CachedMethods of ${where} must be GET,HEAD or GET,HEAD,OPTIONS, and among the AllowedMethods.`,
    );
  }
  return ok(true);
}

const LAMBDA_VERSION_ARN = /^arn:aws(?:-cn)?:lambda:us-east-1:\d{12}:function:[A-Za-z0-9_-]{1,64}:\d+$/;
const FUNCTION_ARN = /^arn:aws(?:-cn)?:cloudfront::\d{12}:function\/[A-Za-z0-9_-]{1,64}$/;

function associations(b: DefaultCacheBehavior, where: string): Result<true> {
  const lambdas = b.LambdaFunctionAssociations?.Items ?? [];
  if (lambdas.length > MAX_LAMBDA_ASSOCIATIONS) {
    return refuse(
      "too-many-lambda-associations",
      "Your request contains more Lambda@Edge function associations than are allowed per distribution.",
    );
  }
  const lambdaEvents = lambdas.map((l) => l.EventType ?? "");
  if (
    lambdas.some((l) => !LAMBDA_VERSION_ARN.test(l.LambdaFunctionARN ?? "")) ||
    new Set(lambdaEvents).size !== lambdaEvents.length
  ) {
    return refuse(
      "invalid-lambda-association",
      `The specified Lambda@Edge function association is invalid (${where}): each event type once, a numbered version of a function in us-east-1.`,
    );
  }
  const functions = b.FunctionAssociations?.Items ?? [];
  if (functions.length > MAX_FUNCTION_ASSOCIATIONS) {
    return refuse(
      "too-many-function-associations",
      "You have reached the maximum number of CloudFront function associations for this distribution.",
    );
  }
  const functionEvents = functions.map((f) => f.EventType ?? "");
  if (
    functions.some((f) => !FUNCTION_ARN.test(f.FunctionARN ?? "")) ||
    functionEvents.some((e) => e !== "viewer-request" && e !== "viewer-response") ||
    new Set(functionEvents).size !== functionEvents.length
  ) {
    return refuse(
      "invalid-function-association",
      `A CloudFront function association is invalid (${where}): viewer-request or viewer-response, each once.`,
    );
  }
  return ok(true);
}

/**
 * Signed URLs (trusted signers or key groups) and field-level encryption name resources that cannot exist here:
 * refused as CloudFront refuses unknown ones, rather than stored and silently not enforced.
 */
function restrictedReferences(b: DefaultCacheBehavior, where: string): Result<true> {
  if (b.TrustedSigners?.Enabled === true || (b.TrustedSigners?.Items ?? []).length > 0) {
    return refuse("trusted-signer-does-not-exist", `One or more of your trusted signers don't exist (${where}).`);
  }
  if (b.TrustedKeyGroups?.Enabled === true || (b.TrustedKeyGroups?.Items ?? []).length > 0) {
    return refuse("trusted-key-group-does-not-exist", `The specified key group does not exist (${where}).`);
  }
  if ((b.FieldLevelEncryptionId ?? "") !== "") {
    return refuse(
      "no-such-field-level-encryption-config",
      `The specified configuration for field-level encryption doesn't exist (${where}).`,
    );
  }
  return ok(true);
}
