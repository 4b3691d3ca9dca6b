/**
 * Bad input through the real worker: malformed XML, wrong types, unknown enum values, missing and oversized
 * bodies, unknown paths and methods. Each must produce the right CloudFront error (never a 5xx) and leave the
 * state untouched.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, errorCode } from "./client.js";
import { distributionConfigXml, weightPolicyXml } from "./documents.js";
import { stateSnapshot } from "./snapshot.js";

const NS = 'xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"';

async function expectError(res: Response, status: number, code: string): Promise<void> {
  expect(res.headers.get("x-amz-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  expect(res.headers.get("content-type")).toContain("text/xml");
  expect(res.status).toBe(status);
  expect(await errorCode(res)).toBe(code);
}

describe("malformed documents", () => {
  const valid = distributionConfigXml({ callerReference: "bad-input-valid" });
  const cases: [string, string, string][] = [
    ["not XML at all", "hello", "MalformedXML"],
    ["unclosed element", valid.slice(0, -10), "MalformedXML"],
    ["wrong root", valid.replaceAll("DistributionConfig", "Distribution"), "MalformedXML"],
    ["integer as text", valid.replace("<HTTPPort>9001</HTTPPort>", "<HTTPPort>ninety</HTTPPort>"), "MalformedXML"],
    ["boolean as number", valid.replace("<Enabled>true</Enabled>", "<Enabled>1</Enabled>"), "MalformedXML"],
    [
      "unknown enum value",
      valid.replace("<ViewerProtocolPolicy>allow-all<", "<ViewerProtocolPolicy>sometimes<"),
      "MalformedXML",
    ],
    ["missing required member", valid.replace(/<Comment>.*?<\/Comment>/, ""), "MalformedXML"],
    ["structure given text", valid.replace(/<Aliases>.*?<\/Aliases>/, "<Aliases>none</Aliases>"), "MalformedXML"],
    [
      "repeated scalar",
      valid.replace("<Enabled>true</Enabled>", "<Enabled>true</Enabled><Enabled>false</Enabled>"),
      "MalformedXML",
    ],
    [
      "DOCTYPE with entities",
      `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>${valid.replace("<Comment>test", "<Comment>&a;")}`,
      "MalformedXML",
    ],
    [
      "quantity mismatch",
      valid.replace("<Origins><Quantity>1</Quantity>", "<Origins><Quantity>3</Quantity>"),
      "InconsistentQuantities",
    ],
    ["empty body", "", "MissingBody"],
    ["whitespace body", "  \n ", "MissingBody"],
  ];
  for (const [name, body, code] of cases) {
    it(`${name} → ${code}, no state change`, async () => {
      const before = await stateSnapshot();
      await expectError(await call("POST", "/distribution", { body }), 400, code);
      expect(await stateSnapshot()).toBe(before);
    });
  }

  it("parsers do not depend on member order", async () => {
    const policyXml = weightPolicyXml("d0000000000000.splitfront.localhost", 0.1);
    const reordered = policyXml.replace(
      /<StagingDistributionDnsNames>(.*?)<\/StagingDistributionDnsNames><Enabled>true<\/Enabled>/,
      "<Enabled>true</Enabled><StagingDistributionDnsNames>$1</StagingDistributionDnsNames>",
    );
    expect(reordered).not.toBe(policyXml);
    // Well-formed and typed, so it reaches the state rules: the staging name does not exist.
    await expectError(await call("POST", "/continuous-deployment-policy", { body: reordered }), 400, "InvalidArgument");
  });

  it("policy: wrong type for Weight and unknown Type", async () => {
    const xml = weightPolicyXml("d0000000000000.splitfront.localhost", 0.1);
    await expectError(
      await call("POST", "/continuous-deployment-policy", {
        body: xml.replace("<Weight>0.1<", "<Weight>ten percent<"),
      }),
      400,
      "MalformedXML",
    );
    await expectError(
      await call("POST", "/continuous-deployment-policy", {
        body: xml.replace("<Type>SingleWeight<", "<Type>Random<"),
      }),
      400,
      "MalformedXML",
    );
  });
});

describe("oversized bodies", () => {
  it("a body over 1 MiB is refused before buffering, with a CloudFront error", async () => {
    const before = await stateSnapshot();
    const big = `<DistributionConfig ${NS}><Comment>${"x".repeat(1024 * 1024)}</Comment></DistributionConfig>`;
    await expectError(await call("POST", "/distribution", { body: big }), 400, "InvalidArgument");
    expect(await stateSnapshot()).toBe(before);
  });
});

describe("unknown paths and methods", () => {
  it("unknown path → NotFound (404); wrong method → MethodNotAllowed (405)", async () => {
    await expectError(await call("GET", "/nothing-here"), 404, "NotFound");
    await expectError(await call("GET", "/distribution/E1/unknown"), 404, "NotFound");
    await expectError(await call("PATCH", "/distribution"), 405, "MethodNotAllowed");
    await expectError(await call("POST", "/distribution/EXXXXXXXXXXXXX"), 405, "MethodNotAllowed");
    await expectError(await call("DELETE", "/continuous-deployment-policy"), 405, "MethodNotAllowed");
  });

  it("unsigned and wrongly signed requests are AccessDenied before routing", async () => {
    await expectError(await call("GET", "/nothing-here", { unsigned: true }), 403, "AccessDenied");
    await expectError(
      await call("GET", "/distribution", { credentials: { accessKeyId: "test", secretAccessKey: "nope" } }),
      403,
      "AccessDenied",
    );
    // A second key pair from CONTROL_ACCESS_KEYS is accepted.
    const second = await call("GET", "/distribution", {
      credentials: { accessKeyId: "AKIDSECOND", secretAccessKey: "second-secret" },
    });
    expect(second.status).toBe(200);
  });

  it("a body that differs from the signed one, and a clock 20 minutes off, are AccessDenied", async () => {
    const before = await stateSnapshot();
    const body = distributionConfigXml({ callerReference: "tampered" });
    const tampered = await call("POST", "/distribution", { body, sendBody: body.replace("tampered", "tampered-2") });
    await expectError(tampered, 403, "AccessDenied");
    const old = await call("POST", "/distribution", { body, signingDate: new Date(Date.now() - 20 * 60_000) });
    await expectError(old, 403, "AccessDenied");
    expect(await stateSnapshot()).toBe(before);
  });

  it("every response carries x-amz-request-id, successes too", async () => {
    const ok = await call("GET", "/distribution");
    expect(ok.status).toBe(200);
    expect(ok.headers.get("x-amz-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const bare = await exports.default.fetch("http://127.0.0.1:8787/_cd");
    expect(bare.status).toBeGreaterThanOrEqual(400);
    expect(bare.status).toBeLessThan(500);
    expect(bare.headers.get("x-amz-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    await bare.arrayBuffer();
  });

  it("invalid MaxItems is InvalidArgument", async () => {
    await expectError(await call("GET", "/distribution?MaxItems=lots"), 400, "InvalidArgument");
  });
});
