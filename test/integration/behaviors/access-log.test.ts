/**
 * The access log for both arms (issue 4): one structured record per request with the serving distribution, for
 * staging also the primary distribution's id and domain, the edge result type (Hit/Miss/Error/Redirect), status,
 * bytes and time taken. Staging's settings differ from primary's here, so the result types differ too.
 */
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AccessLogRecord } from "../../../src/edge/access-log.js";
import { handleViewerRequest } from "../../../src/edge/handler.js";
import { publishTwoArms } from "../../support/worker/edge.js";
import { behavior } from "../../support/worker/fixtures.js";
import { POLICY, TO_STAGING } from "./arms.js";

/** Sends one request with the access log on and returns what it logged, and the body's length. */
async function logged(url: string, init: RequestInit = {}): Promise<{ records: AccessLogRecord[]; length: number }> {
  const spy = vi.spyOn(console, "log").mockImplementation(() => {});
  const tasks: Promise<unknown>[] = [];
  const response = await handleViewerRequest(
    new Request(url, { ...init, redirect: "manual" }),
    { ...env, ACCESS_LOG: "true" },
    { waitUntil: (p) => tasks.push(p) },
  );
  const length = (await response.arrayBuffer()).byteLength;
  await Promise.all(tasks);
  const records = spy.mock.calls.map((args) => JSON.parse(String(args[0])) as AccessLogRecord);
  spy.mockRestore();
  return { records, length };
}

describe("access log per arm", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("staging records name the primary; result types follow each arm's own settings", async () => {
    const { host, primary, staging } = await publishTwoArms("logarms", POLICY, {
      staging: {
        behaviors: [behavior({ pathPattern: "/secure/*", viewerProtocolPolicy: "redirect-to-https" })],
        geoRestriction: { type: "whitelist", countries: ["DE"] },
      },
    });
    const stagingFields = {
      distributionId: staging.id,
      distributionDnsName: staging.domainName,
      arm: "staging",
      primaryDistributionId: primary.id,
      primaryDistributionDnsName: primary.domainName,
      host,
    };
    const de = { cf: { country: "DE" } };
    const miss = await logged(`http://${host}/a.js?cc=max-age%3D60`, { headers: TO_STAGING, ...de });
    expect(miss.records).toHaveLength(1);
    expect(miss.records[0]).toMatchObject({ ...stagingFields, path: "/a.js", status: 200, edgeResultType: "Miss" });
    expect(miss.records[0]?.bytes).toBe(miss.length);
    expect(miss.records[0]?.country).toBe("DE");
    expect(miss.records[0]?.timeTakenMs).toBeGreaterThanOrEqual(0);

    const hit = await logged(`http://${host}/a.js?cc=max-age%3D60`, { headers: TO_STAGING, ...de });
    expect(hit.records[0]?.bytes).toBe(hit.length);
    expect(hit.records[0]).toMatchObject({ ...stagingFields, status: 200, edgeResultType: "Hit" });

    const redirect = await logged(`http://${host}/secure/x`, { headers: TO_STAGING, ...de });
    expect(redirect.records[0]).toMatchObject({ ...stagingFields, status: 301, edgeResultType: "Redirect" });

    const blocked = await logged(`http://${host}/a.js`, { headers: TO_STAGING, cf: { country: "US" } });
    expect(blocked.records[0]).toMatchObject({ ...stagingFields, status: 403, edgeResultType: "Error" });

    // The same requests as a primary viewer: primary has neither the redirect nor the geo block.
    const pRedirect = await logged(`http://${host}/secure/x`, de);
    expect(pRedirect.records[0]).toMatchObject({ distributionId: primary.id, arm: "primary", status: 200 });
    expect(pRedirect.records[0]?.edgeResultType).toBe("Miss");
    expect(pRedirect.records[0]?.primaryDistributionId).toBeUndefined();
    const pUs = await logged(`http://${host}/b`, { cf: { country: "US" } });
    expect(pUs.records[0]).toMatchObject({ distributionId: primary.id, status: 200, edgeResultType: "Miss" });
  });
});
