/**
 * The access log: one JSON record per viewer request of a distribution whose Logging is enabled (ACCESS_LOG
 * "distribution", the default), of every distribution ("all") or of none ("none"); a request staging served names
 * the primary distribution, as CloudFront's staging logs do.
 */
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AccessLogRecord } from "../../../src/edge/access-log.js";
import { handleViewerRequest } from "../../../src/edge/handler.js";
import { publishTwoArms } from "../../support/worker/edge.js";
import { headerPolicy } from "../../support/worker/fixtures.js";

async function logged(request: Request, mode = "true"): Promise<AccessLogRecord[]> {
  const spy = vi.spyOn(console, "log").mockImplementation(() => {});
  const response = await handleViewerRequest(request, { ...env, ACCESS_LOG: mode }, { waitUntil: () => {} });
  await response.arrayBuffer();
  const records = spy.mock.calls.map((args) => JSON.parse(String(args[0])) as AccessLogRecord);
  spy.mockRestore();
  return records;
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

  it("is silent when ACCESS_LOG is none (or false), whatever the distributions say", async () => {
    const { host } = await publishTwoArms("lognone", null, {
      primary: { logging: { includeCookies: false, prefix: "" } },
    });
    for (const mode of ["none", "false"]) expect(await logged(new Request(`http://${host}/`), mode)).toEqual([]);
  });

  it("by default follows each distribution's Logging: staging's own for staging's requests", async () => {
    const { host, primary, staging } = await publishTwoArms("logdist", headerPolicy("aws-cf-cd-test", "blue"), {
      staging: { logging: { includeCookies: true, prefix: "canary/" } },
    });
    // Primary has no Logging: its requests are not logged.
    expect(await logged(new Request(`http://${host}/`), "distribution")).toEqual([]);
    const request = () =>
      new Request(`http://${host}/s`, { headers: { "aws-cf-cd-test": "blue", cookie: "theme=dark; cart=3" } });
    const [record] = await logged(request(), "distribution");
    expect(record).toMatchObject({
      distributionId: staging.id,
      primaryDistributionId: primary.id,
      cookie: "theme=dark; cart=3",
      logPrefix: "canary/",
    });
    // An unset or unknown ACCESS_LOG means the same.
    expect(await logged(request(), "")).toHaveLength(1);
  });

  it("carries no cookie without IncludeCookies, and no prefix without one", async () => {
    const { host } = await publishTwoArms("logplain", null, {
      primary: { logging: { includeCookies: false, prefix: "" } },
    });
    const [record] = await logged(new Request(`http://${host}/`, { headers: { cookie: "a=1" } }), "distribution");
    expect(record).toBeDefined();
    expect(record?.cookie).toBeUndefined();
    expect(record?.logPrefix).toBeUndefined();
  });
});
