import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, errorCode, tagText } from "./client.js";
import { distributionConfigXml, weightPolicyXml } from "./documents.js";

describe("control API vertical slice", () => {
  it("creates a distribution, copies it to staging, creates a policy and publishes to KV", async () => {
    const created = await call("POST", "/distribution", {
      body: distributionConfigXml({ callerReference: "smoke-1" }),
    });
    const xml = await created.text();
    expect(created.status, xml).toBe(201);
    const id = tagText(xml, "Id") ?? "";
    expect(id).toMatch(/^E[A-Z0-9]{13}$/);
    const etag = created.headers.get("etag") ?? "";
    const copy = await call("POST", `/distribution/${id}/copy`, {
      body: '<CopyDistributionRequest xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><CallerReference>smoke-staging</CallerReference></CopyDistributionRequest>',
      headers: { staging: "true", "if-match": etag },
    });
    const copyXml = await copy.text();
    expect(copy.status, copyXml).toBe(201);
    const stagingDns = tagText(copyXml, "DomainName") ?? "";
    const policy = await call("POST", "/continuous-deployment-policy", { body: weightPolicyXml(stagingDns, 0.1) });
    expect(policy.status, await policy.clone().text()).toBe(201);
    const record = await env.EDGE_CONFIG.get(`host:${stagingDns}`, "json");
    expect(record).toMatchObject({ kind: "staging", host: stagingDns });
  });

  it("refuses unsigned requests", async () => {
    const res = await call("GET", "/distribution", { unsigned: true });
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe("AccessDenied");
  });
});
