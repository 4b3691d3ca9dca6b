/**
 * The console's pure model: primaries paired with their policy and staging distribution, and a metrics report
 * (docs/extensions-api.md's shape) turned into per-arm figures and per-minute chart columns.
 */
import { describe, expect, it } from "vitest";
import {
  type ArmReport,
  chartData,
  type Distribution,
  describeTraffic,
  type Figures,
  lastValue,
  type MetricsReport,
  type Policy,
  sitesOf,
  totals,
} from "../../../console/src/model.js";

const dist = (id: string, over: Partial<Distribution> = {}): Distribution => ({
  id,
  domainName: `${id.toLowerCase()}.splitfront.localhost`,
  status: "Deployed",
  lastModified: "2026-11-30T10:00:00.000Z",
  etag: `ETAG${id}`,
  aliases: [],
  comment: "",
  enabled: true,
  staging: false,
  policyId: null,
  ...over,
});

const policy = (id: string, stagingDomain: string, enabled = true): Policy => ({
  id,
  lastModified: "2026-11-30T10:00:00.000Z",
  enabled,
  stagingDnsNames: [stagingDomain],
  traffic: { type: "SingleWeight", weight: 0.1, stickiness: { idleTTL: 300, maximumTTL: 600 } },
});

describe("sitesOf", () => {
  it("pairs each primary with its attached policy and the staging distribution it names, by site name", () => {
    const staging = dist("ES", { staging: true });
    const other = dist("EO", { staging: true });
    const p = policy("p1", staging.domainName);
    const a = dist("EA", { aliases: ["www.b.test"], policyId: "p1" });
    const b = dist("EB", { aliases: ["a.test"] });
    const sites = sitesOf([a, b], [p, policy("p2", other.domainName)], [a, b, staging, other]);
    expect(sites.map((s) => [s.primary.id, s.policy?.id ?? null, s.staging?.id ?? null])).toEqual([
      ["EB", null, null],
      ["EA", "p1", "ES"],
    ]);
  });

  it("leaves staging null when the policy names a domain no staging distribution has", () => {
    const a = dist("EA", { policyId: "p1" });
    const [site] = sitesOf([a], [policy("p1", "gone.splitfront.localhost")], [a]);
    expect(site?.policy?.id).toBe("p1");
    expect(site?.staging).toBeNull();
  });
});

describe("describeTraffic", () => {
  it("says what goes to staging", () => {
    expect(describeTraffic({ type: "SingleWeight", weight: 0.1, stickiness: null })).toBe("10 % of requests");
    expect(
      describeTraffic({ type: "SingleWeight", weight: 0.055, stickiness: { idleTTL: 300, maximumTTL: 600 } }),
    ).toBe("5.5 % of new sessions, sticky (idle 300 s, at most 600 s)");
    expect(describeTraffic({ type: "SingleHeader", header: "aws-cf-cd-x", value: "on" })).toBe(
      "requests with header aws-cf-cd-x: on",
    );
  });
});

const figures = (requests: number, over: Partial<Figures> = {}): Figures => ({
  requests,
  status: { "1xx": 0, "2xx": requests, "3xx": 0, "4xx": 0, "5xx": 0 },
  edgeErrors: 0,
  cacheHits: 0,
  cacheMisses: 0,
  bytes: 0,
  latencyMs: requests === 0 ? null : { p50: 5, p90: 9, p99: 20 },
  errorRate: 0,
  dropped: 0,
  ...over,
});

const arm = (id: string, minutes: [string, Figures][]): ArmReport => {
  const total = minutes.reduce((n, [, f]) => n + f.requests, 0);
  return { distributionId: id, ...figures(total), series: minutes.map(([start, f]) => ({ start, ...f })) };
};

// A 5-minute window: minutes 10:00 … 10:05 (the current one, 10:05, still filling).
const report = (primary: ArmReport | null, staging: ArmReport | null): MetricsReport => ({
  distributionId: "EP",
  policyId: "p1",
  stagingDistributionId: "ES",
  window: { seconds: 300, from: "2026-11-30T10:00:00.000Z", to: "2026-11-30T10:06:00.000Z" },
  flushIntervalSeconds: 10,
  primary,
  staging,
});

const at = (hms: string) => Date.parse(`2026-11-30T${hms}.000Z`);

describe("metrics", () => {
  const r = report(
    arm("EP", [
      ["2026-11-30T10:01:00.000Z", figures(120)],
      ["2026-11-30T10:05:00.000Z", figures(30, { cacheHits: 3, cacheMisses: 1, errorRate: 0.1 })],
    ]),
    null,
  );

  it("totals: requests per second over the part of the window that has passed; null where nothing was served", () => {
    // 10:00:00 to 10:05:30 is 330 s.
    expect(totals(r, "primary", at("10:05:30"))).toEqual({
      requests: 150,
      requestsPerSecond: 150 / 330,
      errorRate: 0,
      p50: 5,
      p99: 20,
      cacheHitRatio: null,
    });
    expect(totals(r, "staging", at("10:05:30"))).toEqual({
      requests: 0,
      requestsPerSecond: 0,
      errorRate: null,
      p50: null,
      p99: null,
      cacheHitRatio: null,
    });
  });

  it("charts: every minute of the window, 0 requests/s where none came, gaps in the ratios", () => {
    const c = chartData(r, at("10:05:30"));
    const xs = [0, 1, 2, 3, 4, 5].map((m) => at(`10:0${m}:00`) / 1000);
    expect(c.requestsPerSecond[0]).toEqual(xs);
    // The current minute's rate is over its 30 elapsed seconds.
    expect(c.requestsPerSecond[1]).toEqual([0, 2, 0, 0, 0, 1]);
    expect(c.requestsPerSecond[2]).toEqual([0, 0, 0, 0, 0, 0]);
    expect(c.errorRate[1]).toEqual([null, 0, null, null, null, 0.1]);
    expect(c.cacheHitRatio[1]).toEqual([null, null, null, null, null, 0.75]);
    expect(c.latency.length).toBe(5);
    expect(c.latency[2]).toEqual([null, 20, null, null, null, 20]);
    expect(lastValue(c.errorRate[1])).toBe(0.1);
    expect(lastValue(c.errorRate[2])).toBeNull();
  });

  it("a minute just begun counts as 10 s, so its rate does not spike", () => {
    expect(chartData(r, at("10:05:01")).requestsPerSecond[1]?.[5]).toBe(3);
  });
});
