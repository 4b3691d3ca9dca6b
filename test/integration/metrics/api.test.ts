/**
 * The metrics extension API through the real worker: distributions and a policy created through the CloudFront
 * API, viewer traffic through the edge with telemetry on, then the JSON report and the Prometheus text, signed
 * with SigV4 as AWS tools sign (or with the METRICS_TOKEN bearer where Prometheus scrapes).
 */
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { signCloudFrontRequest } from "../../support/shared/signing.js";
import { call, tagText } from "../control/client.js";
import { distributionConfigXml, headerPolicyXml } from "../control/documents.js";
import { metricsEnv, Viewers } from "./support.js";

const BASE = "http://127.0.0.1:8787/_cd/splitfront/v1";

async function ext(path: string, init: { method?: string; headers?: Record<string, string>; unsigned?: boolean } = {}) {
  const url = new URL(`${BASE}${path}`);
  const method = init.method ?? "GET";
  const headers =
    init.unsigned === true
      ? { ...init.headers }
      : await signCloudFrontRequest(method, url, init.headers ?? {}, undefined);
  return exports.default.fetch(new Request(url, { method, headers }));
}

async function created(response: Response): Promise<string> {
  const xml = await response.text();
  expect(response.status, xml).toBeLessThan(300);
  return xml;
}

interface ArmJson {
  distributionId: string;
  requests: number;
  status: Record<string, number>;
  edgeErrors: number;
  cacheHits: number;
  cacheMisses: number;
  bytes: number;
  latencyMs: { p50: number; p90: number; p99: number } | null;
  errorRate: number;
  dropped: number;
  series: { start: string; requests: number }[];
}

interface MetricsJson {
  distributionId: string;
  policyId: string | null;
  stagingDistributionId: string | null;
  window: { seconds: number; from: string; to: string };
  primary: ArmJson | null;
  staging: ArmJson | null;
}

let primaryId = "";
let stagingId = "";
let policyId = "";
let lonelyId = "";
let host = "";

describe("metrics extension API", () => {
  beforeAll(async () => {
    const port = inject("origins").primary;
    const p = await created(
      await call("POST", "/distribution", { body: distributionConfigXml({ callerReference: "metrics-p", port }) }),
    );
    primaryId = tagText(p, "Id") ?? "";
    host = tagText(p, "DomainName") ?? "";
    const etag = (await call("GET", `/distribution/${primaryId}`)).headers.get("etag") ?? "";
    const s = await created(
      await call("POST", `/distribution/${primaryId}/copy`, {
        body: '<CopyDistributionRequest xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><CallerReference>metrics-s</CallerReference></CopyDistributionRequest>',
        headers: { staging: "true", "if-match": etag },
      }),
    );
    stagingId = tagText(s, "Id") ?? "";
    const policy = await created(
      await call("POST", "/continuous-deployment-policy", {
        body: headerPolicyXml(tagText(s, "DomainName") ?? "", "aws-cf-cd-test", "blue"),
      }),
    );
    policyId = tagText(policy, "Id") ?? "";
    const current = (await call("GET", `/distribution/${primaryId}/config`)).headers.get("etag") ?? "";
    await created(
      await call("PUT", `/distribution/${primaryId}/config`, {
        body: distributionConfigXml({ callerReference: "metrics-p", port, policyId }),
        headers: { "if-match": current },
      }),
    );
    const lonely = await created(
      await call("POST", "/distribution", { body: distributionConfigXml({ callerReference: "metrics-l", port }) }),
    );
    lonelyId = tagText(lonely, "Id") ?? "";

    // Viewer traffic: 6 to primary (2 of them a POST, which the default behaviour refuses: 403 from the edge),
    // 3 to staging.
    const viewers = new Viewers(metricsEnv(1));
    for (let i = 0; i < 6; i++) await viewers.send(host, `/p${i}`, i < 2 ? { method: "POST", body: "x" } : {});
    for (let i = 0; i < 3; i++) await viewers.send(host, `/s${i}`, { headers: { "aws-cf-cd-test": "blue" } });
    await viewers.settle();
    expect(viewers.received.map((r) => r.arm)).toEqual([...Array(6).fill("primary"), ...Array(3).fill("staging")]);
  });

  it("reports both arms side by side over the window, with a per-minute series", async () => {
    const res = await ext(`/distributions/${primaryId}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    const body = (await res.json()) as MetricsJson;
    expect(body).toMatchObject({ distributionId: primaryId, policyId, stagingDistributionId: stagingId });
    expect(body.window.seconds).toBe(300);
    expect(Date.parse(body.window.to) - Date.parse(body.window.from)).toBeGreaterThanOrEqual(300_000);
    expect(body.primary).toMatchObject({
      distributionId: primaryId,
      requests: 6,
      status: { "1xx": 0, "2xx": 4, "3xx": 0, "4xx": 2, "5xx": 0 },
      edgeErrors: 2,
      cacheHits: 0,
      cacheMisses: 0,
      errorRate: 0,
      dropped: 0,
    });
    expect(body.primary?.bytes).toBeGreaterThan(0);
    expect(body.primary?.latencyMs?.p50).toBeGreaterThanOrEqual(0);
    expect(body.staging).toMatchObject({ distributionId: stagingId, requests: 3, errorRate: 0 });
    for (const arm of [body.primary, body.staging]) {
      const series = arm?.series ?? [];
      expect(series.reduce((n, m) => n + m.requests, 0)).toBe(arm?.requests);
      for (const m of series) expect(new Date(m.start).getUTCSeconds()).toBe(0);
    }
  });

  it("answers null for an arm without traffic, and for staging where no policy is attached", async () => {
    const res = await ext(`/distributions/${lonelyId}/metrics?window=3600`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as MetricsJson;
    expect(body).toMatchObject({
      distributionId: lonelyId,
      policyId: null,
      stagingDistributionId: null,
      primary: null,
      staging: null,
    });
    expect(body.window.seconds).toBe(3600);
  });

  it("answers JSON errors: unknown id 404, a staging id or a bad window 400, an unsigned request 403", async () => {
    const cases: [string, { unsigned?: boolean; method?: string }, number, string][] = [
      ["/distributions/EDOESNOTEXIST1/metrics", {}, 404, "NoSuchDistribution"],
      [`/distributions/${stagingId}/metrics`, {}, 400, "InvalidArgument"],
      [`/distributions/${primaryId}/metrics?window=10`, {}, 400, "InvalidArgument"],
      [`/distributions/${primaryId}/metrics?window=abc`, {}, 400, "InvalidArgument"],
      [`/distributions/${primaryId}/metrics?window=999999999`, {}, 400, "InvalidArgument"],
      [`/distributions/${primaryId}/metrics`, { unsigned: true }, 403, "AccessDenied"],
      [`/distributions/${primaryId}/metrics`, { method: "POST" }, 405, "MethodNotAllowed"],
      ["/nothing-here", {}, 404, "NotFound"],
    ];
    for (const [path, init, status, code] of cases) {
      const res = await ext(path, init);
      expect(res.status, path).toBe(status);
      expect(res.headers.get("content-type"), path).toMatch(/application\/json/);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(Object.keys(body), path).toEqual(["error"]);
      expect(Object.keys(body.error).sort(), path).toEqual(["code", "message"]);
      expect(body.error.code, path).toBe(code);
      expect(body.error.message.length, path).toBeGreaterThan(0);
    }
    const staging = (await (await ext(`/distributions/${stagingId}/metrics`)).json()) as { error: { message: string } };
    expect(staging.error.message).toContain(primaryId);
  });

  it("serves the Prometheus text with SigV4 or the METRICS_TOKEN bearer, and nothing else", async () => {
    const signed = await ext("/metrics");
    expect(signed.status).toBe(200);
    expect(signed.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await signed.text();
    expect(text).toContain(
      `splitfront_requests_total{distribution_id="${primaryId}",arm="primary",status_class="4xx"} 2`,
    );
    expect(text).toContain(`splitfront_edge_errors_total{distribution_id="${primaryId}",arm="primary"} 2`);
    expect(text).toContain(
      `splitfront_requests_total{distribution_id="${stagingId}",arm="staging",status_class="2xx"} 3`,
    );
    expect(text).toContain(`splitfront_origin_latency_seconds_count{distribution_id="${primaryId}",arm="primary"} 4`);

    const bearer = await ext("/metrics", { unsigned: true, headers: { authorization: "Bearer test-metrics-token" } });
    expect(bearer.status).toBe(200);
    expect(await bearer.text()).toBe(text);
    for (const authorization of ["Bearer wrong-token", "Bearer ", "Basic dGVzdDp0ZXN0"]) {
      const res = await ext("/metrics", { unsigned: true, headers: { authorization } });
      expect(res.status, authorization).toBe(403);
    }
    // The bearer opens the Prometheus endpoint only.
    const json = await ext(`/distributions/${primaryId}/metrics`, {
      unsigned: true,
      headers: { authorization: "Bearer test-metrics-token" },
    });
    expect(json.status).toBe(403);
  });
});
