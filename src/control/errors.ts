/**
 * The one exhaustive mapping of the domain's failures (src/domain/result.ts) to CloudFront's wire error (Code, HTTP
 * status, message; reference §2 error table). Failures travel as values from the Durable Object and the
 * validators to the HTTP layer; only this module knows codes and statuses.
 */
import type { DomainError, Result } from "../domain/result.js";
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

export function toWire(e: ControlError): WireError {
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
      return { code: "MissingBody", status: 400, message: "This operation requires a body." };
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
        message: `The continuous deployment policy ${e.id} does not exist.`,
      };
    case "no-such-distribution":
      return { code: "NoSuchDistribution", status: 404, message: `The distribution ${e.id} does not exist.` };
    case "invalid-if-match":
      return { code: "InvalidIfMatchVersion", status: 400, message: e.message };
    case "precondition-failed":
      return {
        code: "PreconditionFailed",
        status: 412,
        message: "The If-Match version is missing or not valid for the resource.",
      };
    case "illegal-update":
      return { code: "IllegalUpdate", status: 400, message: e.message };
    case "distribution-already-exists":
      return {
        code: "DistributionAlreadyExists",
        status: 409,
        message: `The caller reference that you are using to create a distribution is associated with another distribution: ${e.id}.`,
      };
    case "distribution-not-disabled":
      return {
        code: "DistributionNotDisabled",
        status: 409,
        message: `The distribution ${e.id} must be disabled before it can be deleted.`,
      };
    case "cname-already-exists":
      return {
        code: "CNAMEAlreadyExists",
        status: 409,
        message: `One or more of the CNAMEs you provided are already associated with a different resource: ${e.cname}.`,
      };
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
