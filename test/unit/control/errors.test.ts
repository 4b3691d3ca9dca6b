import { describe, expect, it } from "vitest";
import { type ControlError, errorBody, toWire } from "../../../src/control/errors.js";

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
});
