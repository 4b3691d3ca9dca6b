/**
 * docs/extensions-api.md against the bundled worker: every route in its table answers (not NotFound), and every
 * JSON example in it has exactly the members of a real answer of the same kind, at every depth (none missing, none
 * made up), the rollout request example is accepted as written, and the error example is what an error looks like.
 * A JSON block this test cannot tell the kind of fails it, so a new example is checked as soon as it is written.
 * The real answers come from one primary taken through the doc's story: attach, a preview link, a rollout judged on
 * real counted traffic (METRICS_FLUSH_S 1, a rollout second 10 ms), metrics, a promote and its undo.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  GetContinuousDeploymentPolicyConfigCommand,
  GetDistributionCommand,
  UpdateContinuousDeploymentPolicyCommand,
  UpdateDistributionWithStagingConfigCommand,
} from "@aws-sdk/client-cloudfront";
import { describe, expect, it } from "vitest";
import { extCall, stagingWorld } from "./helpers/extensions.js";
import { repoRoot } from "./helpers/npm-start.js";
import { useTestOrigins } from "./helpers/origins.js";
import { present } from "./helpers/sdk.js";
import { useWorker } from "./helpers/worker.js";

const t = useWorker({ METRICS_FLUSH_S: "1", ROLLOUT_SECOND_MS: "10", MAX_STAGING_WEIGHT: "0.5" });
const o = useTestOrigins();

const DOC = readFileSync(join(repoRoot, "docs/extensions-api.md"), "utf8");

interface Example {
  line: number;
  value: unknown;
}

/**
 * The doc's ```json blocks, parsed. The rollout status example elides what other examples show (`[ … ]`,
 * `{ … }`, a trailing `, …` in a list): those become null, which this test does not look into.
 */
function jsonExamples(markdown: string): Example[] {
  const out: Example[] = [];
  const re = /^```json\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(markdown); m !== null; m = re.exec(markdown)) {
    const text = (m[1] ?? "").replace(/\[ … \]|\{ … \}/g, "null").replace(/,\s*…\s*\]/g, " ]");
    const line = markdown.slice(0, m.index).split("\n").length;
    try {
      out.push({ line, value: JSON.parse(text) });
    } catch (e) {
      throw new Error(`docs/extensions-api.md:${line}: the JSON example does not parse: ${String(e)}`);
    }
  }
  return out;
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Where `doc` and `real` differ in their members, as paths: objects must have the same keys; arrays compare their
 * elements pairwise (a doc element beyond the real ones against the last real one); null on either side, or a
 * scalar, ends the comparison there.
 */
function memberDifferences(doc: unknown, real: unknown, path = "$"): string[] {
  if (isObject(doc) && isObject(real)) {
    const missing = Object.keys(real).filter((k) => !(k in doc));
    const extra = Object.keys(doc).filter((k) => !(k in real));
    return [
      ...missing.map((k) => `${path}.${k}: in the real answer, not in the doc`),
      ...extra.map((k) => `${path}.${k}: in the doc, not in the real answer`),
      ...Object.keys(doc)
        .filter((k) => k in real)
        .flatMap((k) => memberDifferences(doc[k], real[k], `${path}.${k}`)),
    ];
  }
  if (Array.isArray(doc) && Array.isArray(real)) {
    if (real.length === 0) return [];
    return doc.flatMap((d, i) => memberDifferences(d, real[Math.min(i, real.length - 1)], `${path}[${i}]`));
  }
  if (doc === null || real === null) return [];
  if (typeof doc !== typeof real || Array.isArray(doc) !== Array.isArray(real)) {
    return [`${path}: ${JSON.stringify(doc)} in the doc, ${JSON.stringify(real)} in the real answer`];
  }
  return [];
}

const ext = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  extCall(t.worker.endpoint, method, path, body, headers);

async function viewer(host: string, path: string): Promise<void> {
  const res = await t.worker.mf.dispatchFetch(`http://${host}${path}`);
  await res.arrayBuffer();
}

describe("docs/extensions-api.md", () => {
  it("lists every route the worker serves, and each answers", async () => {
    // The routes of src/control/routes/metrics.ts and deployments.ts, as the doc's table spells them.
    const routes: [string, string, string][] = [
      ["GET", "/distributions/{primaryId}/metrics", "/distributions/{primaryId}/metrics?window=<seconds>"],
      ["GET", "/metrics", "GET /metrics"],
      ["GET", "/distributions/{id}/history", "GET /distributions/{id}/history"],
      ["GET", "/distributions/{id}/history/1", "GET …/history/{version}"],
      ["POST", "/distributions/{id}/history/1/restore", "POST …/history/{version}/restore"],
      ["PUT", "/distributions/{id}/policy", "PUT /distributions/{id}/policy"],
      ["DELETE", "/distributions/{id}/policy", "DELETE /distributions/{id}/policy"],
      ["POST", "/distributions/{id}/preview-links", "POST /distributions/{primaryId}/preview-links"],
      ["PUT", "/distributions/{id}/rollout", "PUT /distributions/{primaryId}/rollout"],
      ["GET", "/distributions/{id}/rollout", "GET …/rollout"],
      ["POST", "/distributions/{id}/rollout/approve", "POST …/rollout/approve"],
      ["POST", "/distributions/{id}/rollout/pause", "…/pause"],
      ["POST", "/distributions/{id}/rollout/resume", "…/resume"],
      ["POST", "/distributions/{id}/rollout/abort", "…/abort"],
    ];
    const table = DOC.slice(DOC.indexOf("| Operation |"), DOC.indexOf("## Conventions"));
    for (const [method, path, spelt] of routes) {
      expect(table, spelt).toContain(spelt);
      const res = await ext(
        method,
        path.replace(/\{\w+\}/, "E0NOSUCHDIST00"),
        method === "PUT" || method === "POST" ? {} : undefined,
      );
      // A route that exists answers (here mostly with its own error: no such distribution, a body it refuses).
      expect((res.json.error as Obj | undefined)?.code ?? "", `${method} ${path}`).not.toMatch(
        /^(NotFound|MethodNotAllowed)$/,
      );
    }
  });

  it("has JSON examples with exactly the members of the real answers, and a rollout request accepted as written", async () => {
    const cf = t.cf;
    const host = "docs-shapes.e2e.test";
    const { primaryId, stagingId, policyId } = await stagingWorld(cf, o.ports, host, 0.05);
    const d = `/distributions/${primaryId}`;

    const real = new Map<string, unknown>();
    const attach = await ext("PUT", `${d}/policy`, { policyId });
    expect(attach.status).toBe(200);
    real.set("attach", attach.json);
    const link = await ext("POST", `${d}/preview-links`, { arm: "staging", expiresInSeconds: 3600, path: "/checkout" });
    expect(link.status).toBe(201);
    real.set("preview", link.json);
    real.set("error", (await ext("GET", "/distributions/E0NOSUCHDIST00/metrics")).json);

    const examples = jsonExamples(DOC);
    const kindOf = (v: unknown): string => {
      if (!isObject(v)) return "unknown";
      if ("error" in v) return "error";
      if ("window" in v) return "metrics";
      if ("versions" in v) return "history";
      if ("restoredFrom" in v && "etag" in v) return "restore";
      if ("url" in v) return "preview";
      if ("state" in v) return "rollout";
      if ("steps" in v) return "rollout-request";
      if ("policyId" in v && "etag" in v) return "attach";
      return "unknown";
    };

    // The rollout request example, as written, is accepted; then a rollout that can be judged on a little traffic.
    const request = examples.find((e) => kindOf(e.value) === "rollout-request");
    const started = await ext("PUT", `${d}/rollout`, request?.value);
    expect(started.status, JSON.stringify(started.json)).toBe(201);
    // The policy's client updates the policy (as it was): that ends the rollout, leaving the policy enabled.
    const current = await cf.send(new GetContinuousDeploymentPolicyConfigCommand({ Id: policyId }));
    await cf.send(
      new UpdateContinuousDeploymentPolicyCommand({
        Id: policyId,
        IfMatch: current.ETag,
        ContinuousDeploymentPolicyConfig: current.ContinuousDeploymentPolicyConfig,
      }),
    );
    expect((await ext("GET", `${d}/rollout`)).json).toMatchObject({ state: "aborted", abort: { by: "superseded" } });
    const judged = await ext("PUT", `${d}/rollout`, {
      steps: [{ weight: 0.5, pauseSeconds: 100_000 }],
      analysis: { intervalSeconds: 60, minRequests: 10, maxLatencyP99Ratio: 100, failureLimit: 5 },
    });
    expect(judged.status, JSON.stringify(judged.json)).toBe(201);
    let status: Obj = {};
    for (let i = 0; i < 200; i++) {
      for (let j = 0; j < 10; j++) await viewer(host, `/page-${i}-${j}`);
      status = (await ext("GET", `${d}/rollout`)).json;
      if ((status.analyses as Obj[]).some((a) => a.verdict === "pass")) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const analyses = status.analyses as Obj[];
    // The doc shows a conclusive analysis: compare with one.
    real.set("rollout", { ...status, analyses: analyses.filter((a) => a.verdict === "pass") });
    expect(real.get("rollout")).toMatchObject({ analyses: [expect.anything()] });
    const metrics = await ext("GET", `${d}/metrics?window=300`);
    expect(metrics.status).toBe(200);
    real.set("metrics", metrics.json);
    expect((await ext("POST", `${d}/rollout/abort`)).status).toBe(200);

    // Promote with the SDK, then undo it: the history then holds what the doc's example lists.
    const primaryNow = await cf.send(new GetDistributionCommand({ Id: primaryId }));
    const stagingNow = await cf.send(new GetDistributionCommand({ Id: stagingId }));
    const promoted = await cf.send(
      new UpdateDistributionWithStagingConfigCommand({
        Id: primaryId,
        StagingDistributionId: stagingId,
        IfMatch: `${primaryNow.ETag}, ${stagingNow.ETag}`,
      }),
    );
    const restore = await ext("POST", `${d}/history/2/restore`, undefined, {
      "if-match": present(promoted.ETag, "promoted ETag"),
    });
    expect(restore.status, JSON.stringify(restore.json)).toBe(200);
    real.set("restore", restore.json);
    const history = await ext("GET", `${d}/history`);
    expect((history.json.versions as Obj[]).map((v) => v.madeBy)).toEqual(["restore", "promote", "api", "api"]);
    real.set("history", history.json);

    const kinds = examples.map((e) => ({ ...e, kind: kindOf(e.value) }));
    expect(kinds.filter((e) => e.kind === "unknown").map((e) => `line ${e.line}`)).toEqual([]);
    const differences = kinds
      .filter((e) => e.kind !== "rollout-request")
      .flatMap((e) => memberDifferences(e.value, real.get(e.kind)).map((m) => `line ${e.line} (${e.kind}) ${m}`));
    expect(differences).toEqual([]);
    expect(new Set(kinds.map((e) => e.kind))).toEqual(
      new Set(["error", "metrics", "history", "restore", "attach", "preview", "rollout", "rollout-request"]),
    );
  });
});
