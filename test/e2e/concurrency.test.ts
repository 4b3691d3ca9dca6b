/**
 * 50 concurrent UpdateDistribution calls with the same If-Match: the Durable Object serialises them, so exactly
 * one wins, the other 49 get PreconditionFailed, and the stored config is the winner's.
 */
import {
  CreateContinuousDeploymentPolicyCommand,
  CreateDistributionCommand,
  GetContinuousDeploymentPolicyConfigCommand,
  GetDistributionConfigCommand,
  UpdateContinuousDeploymentPolicyCommand,
  UpdateDistributionCommand,
} from "@aws-sdk/client-cloudfront";
import { expect, it } from "vitest";
import { distributionConfig, present, ref, stagingPair, weightPolicy } from "./helpers/sdk.js";
import { useWorker } from "./helpers/worker.js";

const t = useWorker();

async function race<T>(n: number, send: (i: number) => Promise<T>) {
  const settled = await Promise.allSettled(Array.from({ length: n }, (_, i) => send(i)));
  const winners = settled.flatMap((s, i) => (s.status === "fulfilled" ? [i] : []));
  const losers = settled.flatMap((s) => (s.status === "rejected" ? [(s.reason as Error).name] : []));
  return { winners, losers };
}

it("UpdateDistribution: exactly one of 50 same-If-Match updates succeeds", async () => {
  const cfg = distributionConfig(ref("race"), 9001);
  const created = await t.cf.send(new CreateDistributionCommand({ DistributionConfig: cfg }));
  const id = present(created.Distribution?.Id, "id");
  const { winners, losers } = await race(50, (i) =>
    t.cf.send(
      new UpdateDistributionCommand({
        Id: id,
        IfMatch: created.ETag,
        DistributionConfig: { ...cfg, Comment: `writer ${i}` },
      }),
    ),
  );
  expect(winners).toHaveLength(1);
  expect(losers).toEqual(Array(49).fill("PreconditionFailed"));
  const stored = await t.cf.send(new GetDistributionConfigCommand({ Id: id }));
  expect(stored.DistributionConfig?.Comment).toBe(`writer ${winners[0]}`);
});

it("UpdateContinuousDeploymentPolicy: exactly one of 50 same-If-Match updates succeeds", async () => {
  const dns = (await stagingPair(t.cf, "race")).stagingDomain;
  const created = await t.cf.send(
    new CreateContinuousDeploymentPolicyCommand({ ContinuousDeploymentPolicyConfig: weightPolicy(dns, 0) }),
  );
  const id = present(created.ContinuousDeploymentPolicy?.Id, "id");
  const { winners, losers } = await race(50, (i) =>
    t.cf.send(
      new UpdateContinuousDeploymentPolicyCommand({
        Id: id,
        IfMatch: created.ETag,
        ContinuousDeploymentPolicyConfig: weightPolicy(dns, i / 1000),
      }),
    ),
  );
  expect(winners).toHaveLength(1);
  expect(losers).toEqual(Array(49).fill("PreconditionFailed"));
  const stored = await t.cf.send(new GetContinuousDeploymentPolicyConfigCommand({ Id: id }));
  expect(stored.ContinuousDeploymentPolicyConfig?.TrafficConfig?.SingleWeightConfig?.Weight).toBe(
    (winners[0] ?? -1) / 1000,
  );
  expect(await t.worker.edgeRecord(dns)).toMatchObject({ kind: "staging" });
});
