/**
 * The access log: one JSON record per viewer request; a request staging served names the primary distribution,
 * as CloudFront's staging logs do.
 */
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AccessLogRecord } from "../../../src/edge/access-log.js";
import { handleViewerRequest } from "../../../src/edge/handler.js";
import { publishTwoArms } from "../../support/worker/edge.js";
import { headerPolicy } from "../../support/worker/fixtures.js";

async function logged(request: Request): Promise<AccessLogRecord[]> {
  const spy = vi.spyOn(console, "log").mockImplementation(() => {});
  const response = await handleViewerRequest(request, { ...env, ACCESS_LOG: "true" }, { waitUntil: () => {} });
  await response.arrayBuffer();
  return spy.mock.calls.map((args) => JSON.parse(String(args[0])) as AccessLogRecord);
}

describe("access log", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("names the primary distribution on requests staging served", async () => {
    const { host, primary, staging } = await publishTwoArms("log", headerPolicy("aws-cf-cd-test", "blue"));
    const [record] = await logged(new Request(`http://${host}/x?y=1`, { headers: { "aws-cf-cd-test": "blue" } }));
    expect(record).toMatchObject({
      distributionId: staging.id,
      distributionDnsName: staging.domainName,
      arm: "staging",
      primaryDistributionId: primary.id,
      primaryDistributionDnsName: primary.domainName,
      policyId: "policy-1",
      routeReason: "header-match",
      method: "GET",
      host,
      path: "/x",
      status: 200,
      edgeResultType: "Miss",
    });
    expect(record?.timeTakenMs).toBeGreaterThanOrEqual(0);
  });

  it("writes no primary fields on requests primary served", async () => {
    const { host, primary } = await publishTwoArms("logp", headerPolicy("aws-cf-cd-test", "blue"));
    const records = await logged(new Request(`http://${host}/`));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ distributionId: primary.id, arm: "primary", routeReason: "header-miss" });
    expect(records[0]?.primaryDistributionId).toBeUndefined();
  });

  it("is silent when ACCESS_LOG is false", async () => {
    const { host } = await publishTwoArms("lognone", null);
    const spy = vi.spyOn(console, "log").mockImplementation(() => {});
    const response = await handleViewerRequest(new Request(`http://${host}/`), env, { waitUntil: () => {} });
    await response.arrayBuffer();
    expect(spy).not.toHaveBeenCalled();
  });
});
