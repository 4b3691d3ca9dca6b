/**
 * The JSON extensions against the bundled worker in Miniflare, from Node: the CloudFront operations through the
 * AWS SDK, the extension calls signed by the SDK's own signer (smithy's SignatureV4), and the two ways
 * docs/extensions-api.md signs by hand: curl --aws-sigv4 and botocore's SigV4Auth (its snippets, as written, run
 * against `npm start` in readme.test.ts).
 */
import { execFile } from "node:child_process";
import { request } from "node:http";
import { promisify } from "node:util";
import { GetDistributionConfigCommand, UpdateDistributionWithStagingConfigCommand } from "@aws-sdk/client-cloudfront";
import { describe, expect, it } from "vitest";
import { extCall, stagingWorld } from "./helpers/extensions.js";
import { useTestOrigins } from "./helpers/origins.js";
import { present } from "./helpers/sdk.js";
import { useWorker } from "./helpers/worker.js";

const run = promisify(execFile);
const t = useWorker();
const o = useTestOrigins();

/** A JSON extension call below /distributions, signed by the AWS SDK's signer. */
const ext = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  extCall(t.worker.endpoint, method, `/distributions${path}`, body, headers);

/** A viewer request for `host` (Node's fetch cannot set Host), without following redirects. */
function viewer(host: string, path: string, cookie?: string) {
  const url = new URL(t.worker.url);
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
    (resolve, reject) => {
      const req = request(
        { host: url.hostname, port: url.port, path, headers: { host, ...(cookie ? { cookie } : {}) } },
        (res) => {
          let body = "";
          res.on("data", (c: Buffer) => {
            body += c.toString();
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on("error", reject);
      req.end();
    },
  );
}

const originOf = (body: string): string => (JSON.parse(body) as { origin: string }).origin;

/** A primary on the primary origin (alias `host`), its staging copy on the staging origin, a sticky 0 % policy. */
const world = (host: string) => stagingWorld(t.cf, o.ports, host, 0);

describe("extensions through the bundled worker", () => {
  it("attach, preview link, rollout, promote and undo, signed by the AWS SDK's signer", async () => {
    const host = "shop.e2e.test";
    const w = await world(host);
    const attached = await ext("PUT", `/${w.primaryId}/policy`, { policyId: w.policyId });
    expect(attached.status).toBe(200);

    // A preview link pins this viewer to staging under a 0 % weight.
    const link = await ext("POST", `/${w.primaryId}/preview-links`, { arm: "staging", expiresInSeconds: 300 });
    expect(link.status).toBe(201);
    const url = new URL(String(link.json.url));
    expect(url.hostname).toBe(host);
    const opened = await viewer(host, `${url.pathname}${url.search}`);
    expect(opened.status).toBe(302);
    const cookie = String(opened.headers["set-cookie"]).split(";")[0] ?? "";
    expect(originOf((await viewer(host, "/", cookie)).body)).toBe("staging");
    expect(originOf((await viewer(host, "/")).body)).toBe("primary");

    // A rollout (at an approval gate whatever the metrics say, then aborted by hand). Beyond MAX_STAGING_WEIGHT
    // (default 0.15) is refused.
    const beyond = await ext("PUT", `/${w.primaryId}/rollout`, { steps: [{ weight: 0.2, approval: true }] });
    expect(beyond.json).toMatchObject({ error: { code: "InvalidArgument" } });
    const started = await ext("PUT", `/${w.primaryId}/rollout`, {
      steps: [{ weight: 0.15, approval: true }],
      onSuccess: "hold",
    });
    expect(started.status, JSON.stringify(started.json)).toBe(201);
    expect(started.json).toMatchObject({ state: "awaiting-approval", effectiveWeight: 0.15, policyWeight: 0 });
    const aborted = await ext("POST", `/${w.primaryId}/rollout/abort`, { reason: "e2e" });
    expect(aborted.json).toMatchObject({ state: "aborted", abort: { by: "operator", reason: "e2e" } });

    // Promote with the SDK, then undo it through the history.
    const primaryNow = await t.cf.send(new GetDistributionConfigCommand({ Id: w.primaryId }));
    const stagingNow = await t.cf.send(new GetDistributionConfigCommand({ Id: w.stagingId }));
    const promoted = await t.cf.send(
      new UpdateDistributionWithStagingConfigCommand({
        Id: w.primaryId,
        StagingDistributionId: w.stagingId,
        IfMatch: `${primaryNow.ETag}, ${stagingNow.ETag}`,
      }),
    );
    expect(originOf((await viewer(host, "/")).body)).toBe("staging");
    const history = await ext("GET", `/${w.primaryId}/history`);
    const versions = history.json.versions as { version: number; madeBy: string }[];
    expect(versions[0]?.madeBy).toBe("promote");
    const undo = await ext("POST", `/${w.primaryId}/history/${(versions[0]?.version ?? 0) - 1}/restore`, undefined, {
      "if-match": present(promoted.ETag, "promoted etag"),
    });
    expect(undo.status, JSON.stringify(undo.json)).toBe(200);
    expect(originOf((await viewer(host, "/")).body)).toBe("primary");
  });

  it("the docs' snippets: curl --aws-sigv4 and botocore's SigV4Auth", async () => {
    const w = await world("docs.e2e.test");
    const base = `${t.worker.endpoint}/splitfront/v1/distributions/${w.primaryId}`;
    const curl = await run("curl", [
      "-sS",
      "--aws-sigv4",
      "aws:amz:us-east-1:cloudfront",
      "--user",
      "test:test",
      "-X",
      "PUT",
      "-H",
      "content-type: application/json",
      "--data",
      JSON.stringify({ policyId: w.policyId }),
      `${base}/policy`,
    ]);
    expect(JSON.parse(curl.stdout)).toMatchObject({ distributionId: w.primaryId, policyId: w.policyId });

    const python = `
import json, sys, urllib.request
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

url, body = sys.argv[1], json.dumps({"arm": "staging", "expiresInSeconds": 3600})
req = AWSRequest(method="POST", url=url, data=body, headers={"content-type": "application/json"})
SigV4Auth(Credentials("test", "test"), "cloudfront", "us-east-1").add_auth(req)
with urllib.request.urlopen(urllib.request.Request(url, data=body.encode(), method="POST", headers=dict(req.headers))) as r:
    print(json.dumps({"status": r.status, **json.load(r)}))
`;
    const py = await run("python3", ["-c", python, `${base}/preview-links`]).catch(() =>
      run("/usr/bin/python3", ["-c", python, `${base}/preview-links`]),
    );
    expect(JSON.parse(py.stdout)).toMatchObject({ status: 201, arm: "staging", host: "docs.e2e.test" });
  });
});
