import { describe, expect, it } from "vitest";
import { type ControlError, errorBody, toWire } from "../../../src/control/errors.js";
import type { ConfigErrorTag } from "../../../src/domain/result.js";
import { CLOUDFRONT_ERROR_CODES } from "../../support/shared/cloudfront-error-codes.js";

describe("CloudFront error mapping (reference §2 table)", () => {
  const cases: [ControlError, string, number][] = [
    [{ tag: "access-denied", reason: "missing" }, "AccessDenied", 403],
    [{ tag: "invalid-argument", message: "m" }, "InvalidArgument", 400],
    [{ tag: "inconsistent-quantities", path: "Aliases" }, "InconsistentQuantities", 400],
    [{ tag: "malformed-xml", message: "m" }, "MalformedXML", 400],
    [{ tag: "missing-body" }, "MissingBody", 400],
    [{ tag: "too-many-policies", limit: 20 }, "TooManyContinuousDeploymentPolicies", 400],
    [{ tag: "policy-already-exists", id: "p" }, "ContinuousDeploymentPolicyAlreadyExists", 409],
    [{ tag: "staging-in-use", message: "m" }, "StagingDistributionInUse", 409],
    [{ tag: "policy-in-use", message: "m" }, "ContinuousDeploymentPolicyInUse", 409],
    [{ tag: "no-such-policy", id: "p" }, "NoSuchContinuousDeploymentPolicy", 404],
    [{ tag: "no-such-distribution", id: "E" }, "NoSuchDistribution", 404],
    [{ tag: "invalid-if-match", message: "m" }, "InvalidIfMatchVersion", 400],
    [{ tag: "precondition-failed" }, "PreconditionFailed", 412],
    [{ tag: "illegal-update", message: "m" }, "IllegalUpdate", 400],
    [{ tag: "distribution-already-exists", id: "E" }, "DistributionAlreadyExists", 409],
    [{ tag: "distribution-not-disabled", id: "E" }, "DistributionNotDisabled", 409],
    [{ tag: "cname-already-exists", cname: "a" }, "CNAMEAlreadyExists", 409],
    [{ tag: "invalid-tagging", message: "m" }, "InvalidTagging", 400],
    [{ tag: "no-such-resource", arn: "arn" }, "NoSuchResource", 404],
    [{ tag: "foreign-resource", arn: "arn" }, "AccessDenied", 403],
    [{ tag: "internal" }, "InternalError", 500],
  ];
  it.each(cases)("%o → %s %i", (e, code, status) => {
    const w = toWire(e);
    expect([w.code, w.status]).toEqual([code, status]);
  });

  it("writes the reference's body, escaping the message; 5xx are Receiver faults", () => {
    const body = errorBody({ code: "InvalidArgument", status: 400, message: "a <b> & c" }, "req-1");
    expect(body).toBe(
      '<?xml version="1.0"?>\n<ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Error><Type>Sender</Type>' +
        "<Code>InvalidArgument</Code><Message>a &lt;b&gt; &amp; c</Message></Error><RequestId>req-1</RequestId></ErrorResponse>",
    );
    expect(errorBody(toWire({ tag: "internal" }), "r")).toContain("<Type>Receiver</Type>");
  });

  it("every config refusal carries a code and status of the service model's error shapes", () => {
    const tags: Record<ConfigErrorTag, true> = {
      "invalid-origin": true,
      "no-such-origin": true,
      "invalid-origin-read-timeout": true,
      "invalid-origin-keepalive-timeout": true,
      "invalid-origin-access-identity": true,
      "illegal-origin-access-configuration": true,
      "invalid-error-code": true,
      "invalid-response-code": true,
      "invalid-ttl-order": true,
      "invalid-default-root-object": true,
      "invalid-relative-path": true,
      "invalid-forward-cookies": true,
      "invalid-location-code": true,
      "invalid-geo-restriction": true,
      "invalid-viewer-certificate": true,
      "invalid-minimum-protocol-version": true,
      "invalid-protocol-settings": true,
      "invalid-web-acl-id": true,
      "invalid-lambda-association": true,
      "invalid-function-association": true,
      "no-such-cache-policy": true,
      "no-such-field-level-encryption-config": true,
      "trusted-signer-does-not-exist": true,
      "trusted-key-group-does-not-exist": true,
      "too-many-origins": true,
      "too-many-origin-groups": true,
      "too-many-cache-behaviors": true,
      "too-many-origin-custom-headers": true,
      "too-many-cnames": true,
      "too-many-headers-in-forwarded-values": true,
      "too-many-cookie-names": true,
      "too-many-query-string-parameters": true,
      "too-many-lambda-associations": true,
      "too-many-function-associations": true,
      "too-many-distributions-with-function-associations": true,
      "no-such-origin-request-policy": true,
      "no-such-response-headers-policy": true,
      "cache-policy-already-exists": true,
      "origin-request-policy-already-exists": true,
      "response-headers-policy-already-exists": true,
      "cache-policy-in-use": true,
      "origin-request-policy-in-use": true,
      "response-headers-policy-in-use": true,
      "too-many-cache-policies": true,
      "too-many-origin-request-policies": true,
      "too-many-response-headers-policies": true,
      "too-many-distributions-associated-to-cache-policy": true,
      "too-many-distributions-associated-to-origin-request-policy": true,
      "too-many-distributions-associated-to-response-headers-policy": true,
      "too-many-headers-in-cache-policy": true,
      "too-many-cookies-in-cache-policy": true,
      "too-many-query-strings-in-cache-policy": true,
      "too-many-headers-in-origin-request-policy": true,
      "too-many-cookies-in-origin-request-policy": true,
      "too-many-query-strings-in-origin-request-policy": true,
      "too-many-custom-headers-in-response-headers-policy": true,
      "too-many-remove-headers-in-response-headers-policy": true,
      "too-long-csp-in-response-headers-policy": true,
      "illegal-delete": true,
    };
    for (const tag of Object.keys(tags) as ConfigErrorTag[]) {
      const w = toWire({ tag, message: "m" });
      expect(CLOUDFRONT_ERROR_CODES, tag).toContain(w.code);
      expect(w.message).toBe("m");
      // The model's statuses: NoSuch* are 404, *AlreadyExists and *InUse 409, the rest of these 400.
      const conflict = /(AlreadyExists|InUse)$/.test(w.code);
      expect(w.status, tag).toBe(w.code.startsWith("NoSuch") ? 404 : conflict ? 409 : 400);
    }
  });

  it("a message with characters XML 1.0 cannot carry still makes a well-formed body", () => {
    const body = errorBody({ code: "NotFound", status: 404, message: "No such resource: a\u0001b\u0000\uFFFE\r" }, "r");
    expect(body).toContain("<Message>No such resource: a\uFFFDb\uFFFD\uFFFD&#13;</Message>");
  });
});
