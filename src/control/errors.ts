/**
 * The one exhaustive mapping of the domain's failures (src/domain/result.ts) to CloudFront's wire error (Code, HTTP
 * status, message; reference §2 error table). Failures travel as values from the Durable Object and the
 * validators to the HTTP layer; only this module knows codes and statuses.
 */
import type { ConfigError, ConfigErrorTag, DomainError, Result } from "../domain/result.js";
import { CLOUDFRONT_NS, escapeXml } from "./xml/serialize.js";

/** Failures of the wire itself (signature, body, XML, routing), which the domain never sees. */
export type WireFailure =
  | { tag: "access-denied"; reason: string }
  | { tag: "inconsistent-quantities"; path: string }
  | { tag: "malformed-xml"; message: string }
  | { tag: "missing-body" }
  | { tag: "body-too-large"; limit: number }
  | { tag: "not-found"; path: string }
  | { tag: "method-not-allowed"; method: string }
  | { tag: "internal" }
  | { tag: "test-function-failed"; message: string }
  // The JSON extensions (docs/extensions-api.md).
  | { tag: "malformed-json"; message: string }
  | { tag: "not-configured"; message: string };

/** Every failure the control API answers with. */
export type ControlError = DomainError | WireFailure;

export type ControlResult<T> = Result<T, ControlError>;

export interface WireError {
  code: string;
  status: 400 | 403 | 404 | 405 | 409 | 412 | 413 | 500;
  message: string;
}

/** CloudFront's code and status for each ConfigErrorTag (the error shapes of the service model). */
const CONFIG_CODES: Record<ConfigErrorTag, { code: string; status: 400 | 404 | 409 }> = {
  "invalid-origin": { code: "InvalidOrigin", status: 400 },
  "no-such-origin": { code: "NoSuchOrigin", status: 404 },
  "invalid-origin-read-timeout": { code: "InvalidOriginReadTimeout", status: 400 },
  "invalid-origin-keepalive-timeout": { code: "InvalidOriginKeepaliveTimeout", status: 400 },
  "invalid-origin-access-identity": { code: "InvalidOriginAccessIdentity", status: 400 },
  "illegal-origin-access-configuration": { code: "IllegalOriginAccessConfiguration", status: 400 },
  "invalid-error-code": { code: "InvalidErrorCode", status: 400 },
  "invalid-response-code": { code: "InvalidResponseCode", status: 400 },
  "invalid-ttl-order": { code: "InvalidTTLOrder", status: 400 },
  "invalid-default-root-object": { code: "InvalidDefaultRootObject", status: 400 },
  "invalid-relative-path": { code: "InvalidRelativePath", status: 400 },
  "invalid-forward-cookies": { code: "InvalidForwardCookies", status: 400 },
  "invalid-location-code": { code: "InvalidLocationCode", status: 400 },
  "invalid-geo-restriction": { code: "InvalidGeoRestrictionParameter", status: 400 },
  "invalid-viewer-certificate": { code: "InvalidViewerCertificate", status: 400 },
  "invalid-minimum-protocol-version": { code: "InvalidMinimumProtocolVersion", status: 400 },
  "invalid-protocol-settings": { code: "InvalidProtocolSettings", status: 400 },
  "invalid-web-acl-id": { code: "InvalidWebACLId", status: 400 },
  "invalid-lambda-association": { code: "InvalidLambdaFunctionAssociation", status: 400 },
  "invalid-function-association": { code: "InvalidFunctionAssociation", status: 400 },
  "no-such-cache-policy": { code: "NoSuchCachePolicy", status: 404 },
  "no-such-field-level-encryption-config": { code: "NoSuchFieldLevelEncryptionConfig", status: 404 },
  "trusted-signer-does-not-exist": { code: "TrustedSignerDoesNotExist", status: 400 },
  "trusted-key-group-does-not-exist": { code: "TrustedKeyGroupDoesNotExist", status: 400 },
  "too-many-origins": { code: "TooManyOrigins", status: 400 },
  "too-many-origin-groups": { code: "TooManyOriginGroupsPerDistribution", status: 400 },
  "too-many-cache-behaviors": { code: "TooManyCacheBehaviors", status: 400 },
  "too-many-origin-custom-headers": { code: "TooManyOriginCustomHeaders", status: 400 },
  "too-many-cnames": { code: "TooManyDistributionCNAMEs", status: 400 },
  "too-many-headers-in-forwarded-values": { code: "TooManyHeadersInForwardedValues", status: 400 },
  "too-many-cookie-names": { code: "TooManyCookieNamesInWhiteList", status: 400 },
  "too-many-query-string-parameters": { code: "TooManyQueryStringParameters", status: 400 },
  "too-many-lambda-associations": { code: "TooManyLambdaFunctionAssociations", status: 400 },
  "too-many-function-associations": { code: "TooManyFunctionAssociations", status: 400 },
  "too-many-distributions-with-function-associations": {
    code: "TooManyDistributionsWithFunctionAssociations",
    status: 400,
  },
  "no-such-origin-request-policy": { code: "NoSuchOriginRequestPolicy", status: 404 },
  "no-such-response-headers-policy": { code: "NoSuchResponseHeadersPolicy", status: 404 },
  "cache-policy-already-exists": { code: "CachePolicyAlreadyExists", status: 409 },
  "origin-request-policy-already-exists": { code: "OriginRequestPolicyAlreadyExists", status: 409 },
  "response-headers-policy-already-exists": { code: "ResponseHeadersPolicyAlreadyExists", status: 409 },
  "cache-policy-in-use": { code: "CachePolicyInUse", status: 409 },
  "origin-request-policy-in-use": { code: "OriginRequestPolicyInUse", status: 409 },
  "response-headers-policy-in-use": { code: "ResponseHeadersPolicyInUse", status: 409 },
  "too-many-cache-policies": { code: "TooManyCachePolicies", status: 400 },
  "too-many-origin-request-policies": { code: "TooManyOriginRequestPolicies", status: 400 },
  "too-many-response-headers-policies": { code: "TooManyResponseHeadersPolicies", status: 400 },
  "too-many-distributions-associated-to-cache-policy": {
    code: "TooManyDistributionsAssociatedToCachePolicy",
    status: 400,
  },
  "too-many-distributions-associated-to-origin-request-policy": {
    code: "TooManyDistributionsAssociatedToOriginRequestPolicy",
    status: 400,
  },
  "too-many-distributions-associated-to-response-headers-policy": {
    code: "TooManyDistributionsAssociatedToResponseHeadersPolicy",
    status: 400,
  },
  "too-many-headers-in-cache-policy": { code: "TooManyHeadersInCachePolicy", status: 400 },
  "too-many-cookies-in-cache-policy": { code: "TooManyCookiesInCachePolicy", status: 400 },
  "too-many-query-strings-in-cache-policy": { code: "TooManyQueryStringsInCachePolicy", status: 400 },
  "too-many-headers-in-origin-request-policy": { code: "TooManyHeadersInOriginRequestPolicy", status: 400 },
  "too-many-cookies-in-origin-request-policy": { code: "TooManyCookiesInOriginRequestPolicy", status: 400 },
  "too-many-query-strings-in-origin-request-policy": { code: "TooManyQueryStringsInOriginRequestPolicy", status: 400 },
  "too-many-custom-headers-in-response-headers-policy": {
    code: "TooManyCustomHeadersInResponseHeadersPolicy",
    status: 400,
  },
  "too-many-remove-headers-in-response-headers-policy": {
    code: "TooManyRemoveHeadersInResponseHeadersPolicy",
    status: 400,
  },
  "too-long-csp-in-response-headers-policy": { code: "TooLongCSPInResponseHeadersPolicy", status: 400 },
  "illegal-delete": { code: "IllegalDelete", status: 400 },
};

const isConfigError = (e: ControlError): e is ConfigError => Object.hasOwn(CONFIG_CODES, e.tag);

/**
 * Messages are CloudFront's own texts where they are known (real responses quoted in users' reports, e.g.
 * "The specified distribution does not exist."), else the service model's documentation of the error. Nothing
 * from the request URL is echoed: an id is not needed to say that it does not exist.
 */
export function toWire(e: ControlError): WireError {
  if (isConfigError(e)) return { ...CONFIG_CODES[e.tag], message: e.message };
  switch (e.tag) {
    case "access-denied":
      return { code: "AccessDenied", status: 403, message: `Access denied: ${e.reason}.` };
    case "invalid-argument":
      return { code: "InvalidArgument", status: 400, message: e.message };
    case "inconsistent-quantities":
      return {
        code: "InconsistentQuantities",
        status: 400,
        message: `The value of Quantity and the size of Items don't match (${e.path}).`,
      };
    case "malformed-xml":
      return { code: "MalformedXML", status: 400, message: e.message };
    case "missing-body":
      return {
        code: "MissingBody",
        status: 400,
        message: "This operation requires a body. Ensure that the body is present and the Content-Type header is set.",
      };
    case "body-too-large":
      return { code: "InvalidArgument", status: 400, message: `The request body is larger than ${e.limit} bytes.` };
    case "too-many-policies":
      return {
        code: "TooManyContinuousDeploymentPolicies",
        status: 400,
        message: `You have reached the maximum number of continuous deployment policies (${e.limit}).`,
      };
    case "too-many-staging-distributions":
      return {
        code: "InvalidArgument",
        status: 400,
        message: `You have reached the maximum number of staging distributions (${e.limit}).`,
      };
    case "policy-already-exists":
      return {
        code: "ContinuousDeploymentPolicyAlreadyExists",
        status: 409,
        message: `A continuous deployment policy with this configuration already exists: ${e.id}.`,
      };
    case "staging-in-use":
      return { code: "StagingDistributionInUse", status: 409, message: e.message };
    case "policy-in-use":
      return { code: "ContinuousDeploymentPolicyInUse", status: 409, message: e.message };
    case "no-such-policy":
      return {
        code: "NoSuchContinuousDeploymentPolicy",
        status: 404,
        message: "The continuous deployment policy doesn't exist.",
      };
    case "no-such-distribution":
      return { code: "NoSuchDistribution", status: 404, message: "The specified distribution does not exist." };
    case "invalid-if-match":
      return { code: "InvalidIfMatchVersion", status: 400, message: e.message };
    case "precondition-failed":
      return {
        code: "PreconditionFailed",
        status: 412,
        message: "The request failed because it didn't meet the preconditions in one or more request-header fields.",
      };
    case "illegal-update":
      return { code: "IllegalUpdate", status: 400, message: e.message };
    case "distribution-already-exists":
      return {
        code: "DistributionAlreadyExists",
        status: 409,
        message: `The caller reference that you are using to create a distribution is associated with another distribution. Already exists: ${e.id}`,
      };
    case "distribution-not-disabled":
      return {
        code: "DistributionNotDisabled",
        status: 409,
        message: "The distribution you are trying to delete has not been disabled.",
      };
    case "cname-already-exists":
      return {
        code: "CNAMEAlreadyExists",
        status: 409,
        message: "One or more of the CNAMEs you provided are already associated with a different resource.",
      };
    case "invalid-tagging":
      return { code: "InvalidTagging", status: 400, message: e.message };
    case "no-such-resource":
      return { code: "NoSuchResource", status: 404, message: `The specified resource does not exist: ${e.arn}.` };
    case "foreign-resource":
      return { code: "AccessDenied", status: 403, message: `Access denied: ${e.arn} belongs to another account.` };
    case "no-such-function":
      return { code: "NoSuchFunctionExists", status: 404, message: `The function ${e.name} does not exist.` };
    case "function-already-exists":
      return { code: "FunctionAlreadyExists", status: 409, message: `A function named ${e.name} already exists.` };
    case "function-in-use":
      return {
        code: "FunctionInUse",
        status: 409,
        message: `The function ${e.name} is associated with a distribution and cannot be deleted.`,
      };
    case "function-size-limit":
      return {
        code: "FunctionSizeLimitExceeded",
        status: 413,
        message: `The function code is larger than the maximum allowed size (${e.limit} bytes).`,
      };
    case "too-many-functions":
      return {
        code: "TooManyFunctions",
        status: 400,
        message: `You have reached the maximum number of functions (${e.limit}).`,
      };
    case "unsupported-operation":
      return { code: "UnsupportedOperation", status: 400, message: e.message };
    case "test-function-failed":
      return { code: "TestFunctionFailed", status: 500, message: e.message };
    case "not-found":
      return { code: "NotFound", status: 404, message: `No such resource: ${e.path}.` };
    case "method-not-allowed":
      return { code: "MethodNotAllowed", status: 405, message: `The method ${e.method} is not allowed here.` };
    case "internal":
      return { code: "InternalError", status: 500, message: "We encountered an internal error. Please try again." };
    case "malformed-json":
      return { code: "MalformedJSON", status: 400, message: e.message };
    case "not-configured":
      return { code: "NotConfigured", status: 500, message: e.message };
    case "no-such-version":
      return {
        code: "NoSuchVersion",
        status: 404,
        message: `The distribution ${e.id} has no version ${e.version} in its history.`,
      };
    case "no-attached-policy":
      return { code: "NoAttachedPolicy", status: 409, message: e.message };
    case "no-enabled-weight-policy":
      return { code: "NoEnabledWeightPolicy", status: 409, message: e.message };
    case "rollout-in-progress":
      return {
        code: "RolloutInProgress",
        status: 409,
        message: `The rollout ${e.rolloutId} of ${e.id} is still running: abort it or let it finish first.`,
      };
    case "no-such-rollout":
      return { code: "NoSuchRollout", status: 404, message: `The distribution ${e.id} has no rollout.` };
    case "invalid-rollout-state":
      return { code: "InvalidRolloutState", status: 409, message: e.message };
    default:
      return e satisfies never;
  }
}

/** The CloudFront error body (reference §2); 5xx are Receiver faults, the rest Sender. */
export function errorBody(w: WireError, requestId: string): string {
  const type = w.status >= 500 ? "Receiver" : "Sender";
  return (
    `<?xml version="1.0"?>\n<ErrorResponse xmlns="${CLOUDFRONT_NS}"><Error><Type>${type}</Type>` +
    `<Code>${w.code}</Code><Message>${escapeXml(w.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}
