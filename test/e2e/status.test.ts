/**
 * Status tells the truth: with a propagation bound of 3 s (here KV_STALENESS_S, as on Cloudflare where KV may
 * lag; the edge's own honouring of the bound is tested with the edge) a changed distribution is InProgress until
 * the bound has passed, then Deployed, and the SDK's waitUntilDistributionDeployed (the waiter behind `aws
 * cloudfront wait distribution-deployed`) then means that viewers see the change. A change of the attached policy
 * counts as a change of the primary, and publishing a new LIVE version of a function as a change of every
 * distribution that associates it.
 */
import {
  CopyDistributionCommand,
  CreateContinuousDeploymentPolicyCommand,
  CreateDistributionCommand,
  CreateFunctionCommand,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  ListDistributionsCommand,
  PublishFunctionCommand,
  UpdateContinuousDeploymentPolicyCommand,
  UpdateDistributionCommand,
  UpdateFunctionCommand,
  waitUntilDistributionDeployed,
} from "@aws-sdk/client-cloudfront";
import { describe, expect, it } from "vitest";
import { awsCloudFront } from "./helpers/aws-cli.js";
import { useTestOrigins } from "./helpers/origins.js";
import { distributionConfig, headerPolicy, present, ref } from "./helpers/sdk.js";
import { useWorker } from "./helpers/worker.js";

const BOUND_MS = 3000;
const t = useWorker({ CONFIG_MEMO_MS: "0", KV_STALENESS_S: String(BOUND_MS / 1000) });
const origins = useTestOrigins();

const status = async (id: string) => (await t.cf.send(new GetDistributionCommand({ Id: id }))).Distribution?.Status;
const deployed = (id: string) =>
  waitUntilDistributionDeployed({ client: t.cf, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { Id: id });

/** The value of `name` in the response of a viewer request to `host`. */
async function responseHeader(host: string, name: string): Promise<string | null> {
  const res = await t.worker.mf.dispatchFetch(`http://${host}/status`);
  await res.arrayBuffer();
  return res.headers.get(name);
}

async function servedBy(host: string, headers: Record<string, string> = {}): Promise<string | null> {
  const res = await t.worker.mf.dispatchFetch(`http://${host}/status`, { headers });
  await res.arrayBuffer();
  return res.headers.get("x-served-by");
}

describe("Status", () => {
  it("is InProgress after a change until the propagation bound has passed, then Deployed", async () => {
    const started = Date.now();
    const created = await t.cf.send(
      new CreateDistributionCommand({ DistributionConfig: distributionConfig(ref("status"), origins.ports.primary) }),
    );
    const id = present(created.Distribution?.Id, "id");
    expect(created.Distribution?.Status).toBe("InProgress");
    const list = await t.cf.send(new ListDistributionsCommand({}));
    expect(list.DistributionList?.Items?.find((s) => s.Id === id)?.Status).toBe("InProgress");
    const waited = await deployed(id);
    expect(waited.state).toBe("SUCCESS");
    expect(Date.now() - started).toBeGreaterThanOrEqual(BOUND_MS);
    expect(await status(id)).toBe("Deployed");

    // The AWS CLI's waiter agrees (it polls at once, then every 60 s: call it on a Deployed distribution).
    await awsCloudFront(t.worker.endpoint, ["wait", "distribution-deployed", "--id", id]);

    const cfg = await t.cf.send(new GetDistributionConfigCommand({ Id: id }));
    const updated = await t.cf.send(
      new UpdateDistributionCommand({
        Id: id,
        IfMatch: cfg.ETag,
        DistributionConfig: { ...present(cfg.DistributionConfig, "config"), Comment: "changed" },
      }),
    );
    expect(updated.Distribution?.Status).toBe("InProgress");
    await deployed(id);
    expect(await status(id)).toBe("Deployed");
  });

  it("a policy change makes the primary InProgress; once Deployed, every viewer sees the new policy", async () => {
    const host = "status.example.test";
    const primary = await t.cf.send(
      new CreateDistributionCommand({
        DistributionConfig: distributionConfig(ref("st-p"), origins.ports.primary, {
          Aliases: { Quantity: 1, Items: [host] },
        }),
      }),
    );
    const primaryId = present(primary.Distribution?.Id, "primary id");
    const staging = await t.cf.send(
      new CopyDistributionCommand({ PrimaryDistributionId: primaryId, Staging: true, CallerReference: ref("st-s") }),
    );
    const stagingId = present(staging.Distribution?.Id, "staging id");
    const stagingDomain = present(staging.Distribution?.DomainName, "staging domain");
    const stagingCfg = await t.cf.send(new GetDistributionConfigCommand({ Id: stagingId }));
    // The staging copy points at the staging origin.
    const origin = present(stagingCfg.DistributionConfig?.Origins?.Items?.[0], "origin");
    await t.cf.send(
      new UpdateDistributionCommand({
        Id: stagingId,
        IfMatch: stagingCfg.ETag,
        DistributionConfig: {
          ...present(stagingCfg.DistributionConfig, "config"),
          Origins: {
            Quantity: 1,
            Items: [
              { ...origin, CustomOriginConfig: { ...origin.CustomOriginConfig, HTTPPort: origins.ports.staging } },
            ],
          } as never,
        },
      }),
    );
    const policy = await t.cf.send(
      new CreateContinuousDeploymentPolicyCommand({
        ContinuousDeploymentPolicyConfig: headerPolicy(stagingDomain, "aws-cf-cd-status", "blue"),
      }),
    );
    const policyId = present(policy.ContinuousDeploymentPolicy?.Id, "policy id");
    const pcfg = await t.cf.send(new GetDistributionConfigCommand({ Id: primaryId }));
    await t.cf.send(
      new UpdateDistributionCommand({
        Id: primaryId,
        IfMatch: pcfg.ETag,
        DistributionConfig: { ...present(pcfg.DistributionConfig, "config"), ContinuousDeploymentPolicyId: policyId },
      }),
    );
    await deployed(primaryId);
    expect(await servedBy(host, { "aws-cf-cd-status": "blue" })).toBe("staging");

    const changed = await t.cf.send(
      new UpdateContinuousDeploymentPolicyCommand({
        Id: policyId,
        IfMatch: policy.ETag,
        ContinuousDeploymentPolicyConfig: headerPolicy(stagingDomain, "aws-cf-cd-status", "green"),
      }),
    );
    expect(changed.$metadata.httpStatusCode).toBe(200);
    expect(await status(primaryId)).toBe("InProgress");
    expect(await status(stagingId)).toBe("Deployed");
    await deployed(primaryId);
    expect(await servedBy(host, { "aws-cf-cd-status": "green" })).toBe("staging");
    expect(await servedBy(host, { "aws-cf-cd-status": "blue" })).toBe("primary");
  });

  it("publishing a new LIVE version of an associated function makes the distribution InProgress until viewers run it", async () => {
    const name = `status-fn-${process.pid}`;
    const code = (v: string) =>
      new TextEncoder().encode(
        `function handler(event) { event.response.headers['x-fn'] = { value: '${v}' }; return event.response; }`,
      );
    const runtime = { Comment: "", Runtime: "cloudfront-js-2.0" as const };
    const created = await t.cf.send(
      new CreateFunctionCommand({ Name: name, FunctionConfig: runtime, FunctionCode: code("v1") }),
    );
    await t.cf.send(new PublishFunctionCommand({ Name: name, IfMatch: created.ETag }));
    const base = distributionConfig(ref("st-fn"), origins.ports.primary);
    const dist = await t.cf.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          ...base,
          DefaultCacheBehavior: {
            ...present(base.DefaultCacheBehavior, "dcb"),
            FunctionAssociations: {
              Quantity: 1,
              Items: [
                { FunctionARN: `arn:aws:cloudfront::123456789012:function/${name}`, EventType: "viewer-response" },
              ],
            },
          },
        },
      }),
    );
    const id = present(dist.Distribution?.Id, "id");
    const host = present(dist.Distribution?.DomainName, "domain");
    await deployed(id);
    expect(await responseHeader(host, "x-fn")).toBe("v1");

    // A DEVELOPMENT change reaches no viewer and changes no Status; publishing it does.
    const v2 = await t.cf.send(
      new UpdateFunctionCommand({
        Name: name,
        IfMatch: created.ETag,
        FunctionConfig: runtime,
        FunctionCode: code("v2"),
      }),
    );
    expect(await status(id)).toBe("Deployed");
    await t.cf.send(new PublishFunctionCommand({ Name: name, IfMatch: v2.ETag }));
    expect(await status(id)).toBe("InProgress");
    await deployed(id);
    expect(await responseHeader(host, "x-fn")).toBe("v2");
  });
});
