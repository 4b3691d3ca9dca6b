/**
 * Per-arm telemetry end to end: distributions and a header policy made with the AWS SDK, viewer traffic through
 * the bundled worker in Miniflare, and the Prometheus endpoint read as Prometheus reads it (a Bearer token) and
 * parsed by a real Prometheus text parser: the official Python client's (prometheus_client.parser, Debian's
 * python3-prometheus-client). The signed JSON report is read with the SDKs' own signer.
 */
import { execFile } from "node:child_process";
import {
  CopyDistributionCommand,
  CreateContinuousDeploymentPolicyCommand,
  CreateDistributionCommand,
  GetDistributionConfigCommand,
  UpdateDistributionCommand,
} from "@aws-sdk/client-cloudfront";
import { describe, expect, it } from "vitest";
import { signCloudFrontRequest } from "../support/shared/signing.js";
import { useTestOrigins } from "./helpers/origins.js";
import { distributionConfig, headerPolicy, present, ref } from "./helpers/sdk.js";
import { useWorker } from "./helpers/worker.js";

const TOKEN = "e2e-metrics-token";
const t = useWorker({ METRICS_FLUSH_S: "1", METRICS_TOKEN: TOKEN });
const origins = useTestOrigins();

/** Parses exposition text from stdin with prometheus_client and prints the families as JSON. */
const PARSE = `
import json, sys
from prometheus_client.parser import text_string_to_metric_families
out = []
for f in text_string_to_metric_families(sys.stdin.read()):
    out.append({"name": f.name, "type": f.type, "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in f.samples]})
print(json.dumps(out))
`;

interface Family {
  name: string;
  type: string;
  samples: { name: string; labels: Record<string, string>; value: number }[];
}

/** The first Python that has prometheus_client (pyenv's python3 may lack what Debian's /usr/bin/python3 has). */
async function pythonWithPrometheusClient(): Promise<string> {
  for (const py of ["python3", "/usr/bin/python3"]) {
    const ok = await new Promise<boolean>((resolve) => {
      execFile(py, ["-c", "import prometheus_client"], (err) => resolve(err === null));
    });
    if (ok) return py;
  }
  throw new Error("no python3 with prometheus_client: install python3-prometheus-client (Debian)");
}

async function parsePrometheus(text: string): Promise<Family[]> {
  const py = await pythonWithPrometheusClient();
  return new Promise((resolve, reject) => {
    const child = execFile(py, ["-c", PARSE], (err, stdout, stderr) => {
      if (err !== null) reject(new Error(`prometheus_client could not parse the exposition: ${stderr}`));
      else resolve(JSON.parse(stdout) as Family[]);
    });
    child.stdin?.end(text);
  });
}

async function scrape(): Promise<string> {
  const res = await fetch(`${t.worker.endpoint}/splitfront/v1/metrics`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  expect(res.status).toBe(200);
  return res.text();
}

/** Scrapes until `done` holds for the parsed families; the flush is due within METRICS_FLUSH_S (1 s here). */
async function scrapeUntil(done: (families: Family[]) => boolean): Promise<Family[]> {
  for (let attempt = 0; ; attempt++) {
    const families = await parsePrometheus(await scrape());
    if (done(families) || attempt >= 60) return families;
    await new Promise((r) => setTimeout(r, 500));
  }
}

const value = (families: Family[], sample: string, labels: Record<string, string>): number | undefined =>
  families
    .flatMap((f) => f.samples)
    .find((s) => s.name === sample && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

describe("per-arm telemetry, end to end", () => {
  it("counts what each arm's viewers received, in Prometheus' text format and in the signed JSON report", async () => {
    const ports = origins.ports;
    const cf = t.cf;
    const p = await cf.send(
      new CreateDistributionCommand({ DistributionConfig: distributionConfig(ref("metrics-p"), ports.primary) }),
    );
    const primaryId = present(p.Distribution?.Id, "primary id");
    const primaryDns = present(p.Distribution?.DomainName, "primary domain");
    const s = await cf.send(
      new CopyDistributionCommand({
        PrimaryDistributionId: primaryId,
        Staging: true,
        CallerReference: ref("metrics-s"),
      }),
    );
    const stagingId = present(s.Distribution?.Id, "staging id");
    const stagingCfg = await cf.send(new GetDistributionConfigCommand({ Id: stagingId }));
    await cf.send(
      new UpdateDistributionCommand({
        Id: stagingId,
        IfMatch: stagingCfg.ETag,
        DistributionConfig: {
          ...present(stagingCfg.DistributionConfig, "staging config"),
          ...distributionConfig(present(stagingCfg.DistributionConfig?.CallerReference, "ref"), ports.staging),
          Staging: true,
        },
      }),
    );
    const policy = await cf.send(
      new CreateContinuousDeploymentPolicyCommand({
        ContinuousDeploymentPolicyConfig: headerPolicy(
          present(s.Distribution?.DomainName, "staging domain"),
          "aws-cf-cd-test",
          "blue",
        ),
      }),
    );
    const primaryCfg = await cf.send(new GetDistributionConfigCommand({ Id: primaryId }));
    await cf.send(
      new UpdateDistributionCommand({
        Id: primaryId,
        IfMatch: primaryCfg.ETag,
        DistributionConfig: {
          ...present(primaryCfg.DistributionConfig, "primary config"),
          ContinuousDeploymentPolicyId: present(policy.ContinuousDeploymentPolicy?.Id, "policy id"),
        },
      }),
    );

    // 9 viewers on primary (3 of them POSTs the default behaviour refuses: 403 from the edge), 4 on staging.
    const received: { arm: string | null; status: number }[] = [];
    for (let i = 0; i < 13; i++) {
      const staging = i >= 9;
      const res = await t.worker.mf.dispatchFetch(`http://${primaryDns}/page-${i}`, {
        method: !staging && i < 3 ? "POST" : "GET",
        ...(!staging && i < 3 ? { body: "x" } : {}),
        headers: staging ? { "aws-cf-cd-test": "blue" } : {},
      });
      await res.arrayBuffer();
      received.push({ arm: res.headers.get("x-served-by"), status: res.status });
    }
    const seen = (arm: string, cls: number) =>
      received.filter((r) => r.arm === arm && Math.floor(r.status / 100) === cls).length;
    expect(seen("primary", 2) + seen("primary", 4)).toBe(9);
    expect(seen("staging", 2)).toBe(4);

    const families = await scrapeUntil(
      (f) =>
        value(f, "splitfront_requests_total", { distribution_id: stagingId, arm: "staging", status_class: "2xx" }) ===
        4,
    );
    const byName = new Map(families.map((f) => [f.name, f]));
    // prometheus_client names a counter family without its _total suffix.
    expect(byName.get("splitfront_requests")?.type).toBe("counter");
    expect(byName.get("splitfront_origin_latency_seconds")?.type).toBe("histogram");
    for (const [arm, id] of [
      ["primary", primaryId],
      ["staging", stagingId],
    ] as const) {
      for (const [i, cls] of ["1xx", "2xx", "3xx", "4xx", "5xx"].entries()) {
        const got = value(families, "splitfront_requests_total", { distribution_id: id, arm, status_class: cls });
        expect(got, `${arm} ${cls}`).toBe(seen(arm, i + 1));
      }
      // The histogram is cumulative and ends with +Inf = _count = the requests the origin answered.
      const buckets = families
        .flatMap((f) => f.samples)
        .filter((x) => x.name === "splitfront_origin_latency_seconds_bucket" && x.labels.distribution_id === id);
      const counts = buckets.map((b) => b.value);
      expect(counts).toEqual([...counts].sort((a, b) => a - b));
      expect(buckets.at(-1)?.labels.le).toBe("+Inf");
      const count = value(families, "splitfront_origin_latency_seconds_count", { distribution_id: id, arm });
      expect(buckets.at(-1)?.value).toBe(count);
      expect(count).toBe(seen(arm, 2));
    }
    expect(value(families, "splitfront_edge_errors_total", { distribution_id: primaryId, arm: "primary" })).toBe(3);

    // The JSON report, signed as the SDKs sign.
    const url = new URL(`${t.worker.endpoint}/splitfront/v1/distributions/${primaryId}/metrics?window=600`);
    const { host: _host, ...headers } = await signCloudFrontRequest("GET", url, {}, undefined);
    const res = await fetch(url, { headers });
    expect(res.status).toBe(200);
    const report = (await res.json()) as {
      primary: { requests: number; edgeErrors: number; status: Record<string, number> } | null;
      staging: { requests: number; errorRate: number } | null;
      stagingDistributionId: string;
    };
    expect(report.stagingDistributionId).toBe(stagingId);
    expect(report.primary).toMatchObject({ requests: 9, edgeErrors: 3, status: { "4xx": 3, "2xx": 6 } });
    expect(report.staging).toMatchObject({ requests: 4, errorRate: 0 });
  });
});
