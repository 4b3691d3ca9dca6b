/**
 * Propagation: the time from a successful UpdateContinuousDeploymentPolicy (answered by the control API) until
 * the edge routes by the new policy. Driven by the real AWS SDK against the worker's /_cd endpoint, with the
 * worker's deployed settings (CONFIG_MEMO_MS from wrangler.toml bounds the isolate's staleness). When the control
 * API does not work yet, the result says why instead of a figure.
 */

import { Agent } from "node:http";
import {
  CloudFrontClient,
  CopyDistributionCommand,
  CreateContinuousDeploymentPolicyCommand,
  CreateDistributionCommand,
  type DistributionConfig,
  GetContinuousDeploymentPolicyCommand,
  GetDistributionConfigCommand,
  UpdateContinuousDeploymentPolicyCommand,
  UpdateDistributionCommand,
} from "@aws-sdk/client-cloudfront";
import { get } from "./http.js";
import { startWorker, type WorkerSpec } from "./instances.js";
import { median } from "./report.js";

export type Propagation =
  | { available: true; samplesMs: number[]; medianMs: number; maxMs: number; configMemoMs: string }
  | { available: false; reason: string };

const HOST = "propagation.bench.localhost";
const HEADER = "aws-cf-cd-bench";
const SAMPLES = 4;
/** Give up on one sample after this long (well above CONFIG_MEMO_MS + a KV write). */
const SAMPLE_TIMEOUT_MS = 30_000;

export async function measurePropagation(
  spec: WorkerSpec,
  origin: { primary: number; staging: number },
  log: (m: string) => void,
): Promise<Propagation> {
  const inst = await startWorker(spec);
  try {
    const cf = new CloudFrontClient({
      endpoint: `${inst.url}/_cd`,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
      // A fresh connection per call: between calls the client idles for seconds while the edge is polled, and
      // reusing a keep-alive socket the server has just closed fails as "socket hang up".
      requestHandler: { httpAgent: new Agent({ keepAlive: false }) },
    });
    const policyId = await setUp(cf, origin);
    // The edge must hold the attached policy (v1) in its isolate memo first, or the first sample would only
    // measure a cold KV read.
    await untilStaging(inst.url, "v1");
    const samplesMs: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const value = `v${i + 2}`;
      const got = await cf.send(new GetContinuousDeploymentPolicyCommand({ Id: policyId }));
      const config = got.ContinuousDeploymentPolicy?.ContinuousDeploymentPolicyConfig;
      if (config === undefined) throw new Error("GetContinuousDeploymentPolicy returned no config");
      config.TrafficConfig = { Type: "SingleHeader", SingleHeaderConfig: { Header: HEADER, Value: value } };
      await cf.send(
        new UpdateContinuousDeploymentPolicyCommand({
          Id: policyId,
          IfMatch: got.ETag,
          ContinuousDeploymentPolicyConfig: config,
        }),
      );
      samplesMs.push(await untilStaging(inst.url, value));
      log(`propagation sample ${i + 1}: ${samplesMs.at(-1)?.toFixed(0)} ms`);
    }
    return {
      available: true,
      samplesMs,
      medianMs: median(samplesMs),
      maxMs: Math.max(...samplesMs),
      configMemoMs: spec.bindings.CONFIG_MEMO_MS ?? "?",
    };
  } catch (e) {
    return { available: false, reason: e instanceof Error ? e.message : String(e) };
  } finally {
    await inst.stop();
  }
}

/** Polls as a viewer carrying `value` until staging answers; returns the milliseconds that took. */
async function untilStaging(url: string, value: string): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    let last: string;
    try {
      const r = await get(`${url}/page`, { host: HOST, [HEADER]: value });
      if (r.headers["x-origin"] === "staging") return performance.now() - t0;
      last = String(r.status);
    } catch (e) {
      // A failed poll is not an answer either way: keep polling until the deadline.
      last = e instanceof Error ? e.message : String(e);
    }
    if (performance.now() - t0 > SAMPLE_TIMEOUT_MS) {
      throw new Error(`header value ${value} not applied after ${SAMPLE_TIMEOUT_MS} ms (last: ${last})`);
    }
    await new Promise((res) => setTimeout(res, 5));
  }
}

function distributionConfig(port: number, ref: string): DistributionConfig {
  return {
    CallerReference: ref,
    Aliases: { Quantity: 1, Items: [HOST] },
    Origins: {
      Quantity: 1,
      Items: [
        {
          Id: "origin",
          DomainName: "127.0.0.1",
          CustomOriginConfig: { HTTPPort: port, HTTPSPort: 443, OriginProtocolPolicy: "http-only" },
        },
      ],
    },
    DefaultCacheBehavior: {
      TargetOriginId: "origin",
      ViewerProtocolPolicy: "allow-all",
      // Managed policy "CachingDisabled": every request reaches the origin, so the answer shows the routing.
      CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
    },
    Comment: "splitfront propagation benchmark",
    Enabled: true,
  };
}

/** A primary, its staging copy pointed at the staging origin, and an attached header policy. */
async function setUp(cf: CloudFrontClient, origin: { primary: number; staging: number }): Promise<string> {
  const created = await cf.send(
    new CreateDistributionCommand({ DistributionConfig: distributionConfig(origin.primary, "bench-prop") }),
  );
  const primaryId = created.Distribution?.Id ?? "";
  const copy = await cf.send(
    new CopyDistributionCommand({
      PrimaryDistributionId: primaryId,
      Staging: true,
      IfMatch: created.ETag,
      CallerReference: "bench-prop-staging",
      Enabled: true,
    }),
  );
  const stagingId = copy.Distribution?.Id ?? "";
  const stagingDomain = copy.Distribution?.DomainName ?? "";
  const stagingConfig = await cf.send(new GetDistributionConfigCommand({ Id: stagingId }));
  const sc = stagingConfig.DistributionConfig;
  const firstOrigin = sc?.Origins?.Items?.[0];
  if (sc === undefined || firstOrigin?.CustomOriginConfig === undefined) throw new Error("staging copy has no origin");
  firstOrigin.CustomOriginConfig.HTTPPort = origin.staging;
  await cf.send(new UpdateDistributionCommand({ Id: stagingId, IfMatch: stagingConfig.ETag, DistributionConfig: sc }));
  const policy = await cf.send(
    new CreateContinuousDeploymentPolicyCommand({
      ContinuousDeploymentPolicyConfig: {
        StagingDistributionDnsNames: { Quantity: 1, Items: [stagingDomain] },
        Enabled: true,
        TrafficConfig: { Type: "SingleHeader", SingleHeaderConfig: { Header: HEADER, Value: "v1" } },
      },
    }),
  );
  const policyId = policy.ContinuousDeploymentPolicy?.Id ?? "";
  const primaryConfig = await cf.send(new GetDistributionConfigCommand({ Id: primaryId }));
  const pc = primaryConfig.DistributionConfig;
  if (pc === undefined) throw new Error("GetDistributionConfig returned no config");
  pc.ContinuousDeploymentPolicyId = policyId;
  await cf.send(new UpdateDistributionCommand({ Id: primaryId, IfMatch: primaryConfig.ETag, DistributionConfig: pc }));
  return policyId;
}
