/**
 * 50 concurrent UpdateDistribution calls with the same If-Match: the Durable Object serialises them, so exactly
 * one wins, the other 49 get PreconditionFailed, and the stored config is the winner's.
 */
import {
  CopyDistributionCommand,
  CreateContinuousDeploymentPolicyCommand,
  CreateDistributionCommand,
  GetContinuousDeploymentPolicyConfigCommand,
  GetDistributionConfigCommand,
  UpdateContinuousDeploymentPolicyCommand,
  UpdateDistributionCommand,
} from "@aws-sdk/client-cloudfront";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type RunningWorker, startWorker } from "../support/node/worker-harness.js";
import { cloudfront, distributionConfig, present, ref, weightPolicy } from "./helpers/sdk.js";

let worker: RunningWorker;
let cf: ReturnType<typeof cloudfront>;

beforeAll(async () => {
  worker = await startWorker();
  cf = cloudfront(worker.endpoint);
});
afterAll(async () => {
  cf?.destroy();
  await worker?.stop();
});

async function race<T>(n: number, send: (i: number) => Promise<T>) {
  const settled = await Promise.allSettled(Array.from({ length: n }, (_, i) => send(i)));
  const winners = settled.flatMap((s, i) => (s.status === "fulfilled" ? [i] : []));
  const losers = settled.flatMap((s) => (s.status === "rejected" ? [(s.reason as Error).name] : []));
  return { winners, losers };
}

it("UpdateDistribution: exactly one of 50 same-If-Match updates succeeds", async () => {
  const cfg = distributionConfig(ref("race"), 9001);
  const created = await cf.send(new CreateDistributionCommand({ DistributionConfig: cfg }));
  const id = present(created.Distribution?.Id, "id");
  const { winners, losers } = await race(50, (i) =>
    cf.send(
      new UpdateDistributionCommand({
        Id: id,
        IfMatch: created.ETag,
        DistributionConfig: { ...cfg, Comment: `writer ${i}` },
      }),
    ),
  );
  expect(winners).toHaveLength(1);
  expect(losers).toEqual(Array(49).fill("PreconditionFailed"));
  const stored = await cf.send(new GetDistributionConfigCommand({ Id: id }));
  expect(stored.DistributionConfig?.Comment).toBe(`writer ${winners[0]}`);
});

it("UpdateContinuousDeploymentPolicy: exactly one of 50 same-If-Match updates succeeds", async () => {
  const p = await cf.send(
    new CreateDistributionCommand({ DistributionConfig: distributionConfig(ref("race-p"), 9001) }),
  );
  const s = await cf.send(
    new CopyDistributionCommand({
      PrimaryDistributionId: p.Distribution?.Id,
      Staging: true,
      CallerReference: ref("race-s"),
    }),
  );
  const dns = present(s.Distribution?.DomainName, "dns");
  const created = await cf.send(
    new CreateContinuousDeploymentPolicyCommand({ ContinuousDeploymentPolicyConfig: weightPolicy(dns, 0) }),
  );
  const id = present(created.ContinuousDeploymentPolicy?.Id, "id");
  const { winners, losers } = await race(50, (i) =>
    cf.send(
      new UpdateContinuousDeploymentPolicyCommand({
        Id: id,
        IfMatch: created.ETag,
        ContinuousDeploymentPolicyConfig: weightPolicy(dns, i / 1000),
      }),
    ),
  );
  expect(winners).toHaveLength(1);
  expect(losers).toEqual(Array(49).fill("PreconditionFailed"));
  const stored = await cf.send(new GetContinuousDeploymentPolicyConfigCommand({ Id: id }));
  expect(stored.ContinuousDeploymentPolicyConfig?.TrafficConfig?.SingleWeightConfig?.Weight).toBe(
    (winners[0] ?? -1) / 1000,
  );
  expect(await worker.edgeRecord(dns)).toMatchObject({ kind: "staging" });
});
