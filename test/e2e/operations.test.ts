/**
 * Every one of the fourteen operations through the real AWS SDK against the worker in workerd (Miniflare),
 * checking status codes, ETag/Location headers and the round-trip of configs.
 */
import {
  CopyDistributionCommand,
  CreateContinuousDeploymentPolicyCommand,
  CreateDistributionCommand,
  DeleteContinuousDeploymentPolicyCommand,
  DeleteDistributionCommand,
  GetContinuousDeploymentPolicyCommand,
  GetContinuousDeploymentPolicyConfigCommand,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  ListContinuousDeploymentPoliciesCommand,
  ListDistributionsCommand,
  UpdateContinuousDeploymentPolicyCommand,
  UpdateDistributionCommand,
  UpdateDistributionWithStagingConfigCommand,
} from "@aws-sdk/client-cloudfront";
import { describe, expect, it } from "vitest";
import { startWorker } from "../support/node/worker-harness.js";
import { useTestOrigins } from "./helpers/origins.js";
import { cloudfront, distributionConfig, present, ref, weightPolicy } from "./helpers/sdk.js";
import { useWorker } from "./helpers/worker.js";

const t = useWorker();
const origins = useTestOrigins();

/** Which origin served `n` fresh viewers (no cookie) of `host`: counts by the echo origin's name. */
async function servedBy(
  host: string,
  n: number,
  headers: Record<string, string> = {},
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const res = await t.worker.mf.dispatchFetch(`http://${host}/split?i=${i}`, { headers });
    const origin = res.headers.get("x-origin") ?? `status ${res.status}`;
    await res.arrayBuffer();
    counts[origin] = (counts[origin] ?? 0) + 1;
  }
  return counts;
}

describe("distributions", () => {
  it("create → get → get config → list → update → disable → delete", async () => {
    const cfg = distributionConfig(ref("ops"), 9001, { Aliases: { Quantity: 1, Items: ["ops.example.test"] } });
    const created = await t.cf.send(new CreateDistributionCommand({ DistributionConfig: cfg }));
    expect(created.$metadata.httpStatusCode).toBe(201);
    const d = created.Distribution;
    expect(d?.Id).toMatch(/^E[A-Z0-9]{13}$/);
    expect(d?.DomainName).toMatch(/^d[a-z0-9]{13}\.splitfront\.localhost$/);
    expect(d?.ARN).toBe(`arn:aws:cloudfront::123456789012:distribution/${d?.Id}`);
    expect(d?.Status).toBe("Deployed");
    expect(created.Location).toBe(`${t.worker.endpoint}/2020-05-31/distribution/${d?.Id}`);
    expect(created.ETag).toMatch(/^E[A-Z0-9]{13}$/);
    const id = d?.Id ?? "";

    const got = await t.cf.send(new GetDistributionCommand({ Id: id }));
    expect(got.ETag).toBe(created.ETag);
    // What was sent, plus CloudFront's defaults for what was not (test/e2e/defaults.test.ts).
    expect(got.Distribution?.DistributionConfig).toMatchObject(cfg);
    expect(got.Distribution?.DistributionConfig).toEqual(d?.DistributionConfig);

    const config = await t.cf.send(new GetDistributionConfigCommand({ Id: id }));
    expect(config.DistributionConfig).toEqual(got.Distribution?.DistributionConfig);
    expect(config.ETag).toBe(created.ETag);

    const list = await t.cf.send(new ListDistributionsCommand({}));
    const summary = list.DistributionList?.Items?.find((s) => s.Id === id);
    expect(summary?.Staging).toBe(false);
    expect(summary?.Aliases?.Items).toEqual(["ops.example.test"]);

    const updated = await t.cf.send(
      new UpdateDistributionCommand({
        Id: id,
        IfMatch: created.ETag,
        DistributionConfig: { ...cfg, Comment: "changed" },
      }),
    );
    expect(updated.ETag).not.toBe(created.ETag);
    expect(updated.Distribution?.DistributionConfig?.Comment).toBe("changed");
    expect(await t.worker.edgeRecord("ops.example.test")).toMatchObject({ kind: "viewer", primary: { id } });

    const disabled = await t.cf.send(
      new UpdateDistributionCommand({ Id: id, IfMatch: updated.ETag, DistributionConfig: { ...cfg, Enabled: false } }),
    );
    expect(await t.worker.edgeRecord("ops.example.test")).toBeNull();
    const deleted = await t.cf.send(new DeleteDistributionCommand({ Id: id, IfMatch: disabled.ETag }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
  });

  it("lists with Marker and MaxItems", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await t.cf.send(
        new CreateDistributionCommand({ DistributionConfig: distributionConfig(ref("page"), 9001) }),
      );
      ids.push(r.Distribution?.Id ?? "");
    }
    const seen: string[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await t.cf.send(new ListDistributionsCommand({ MaxItems: 2, Marker: marker }));
      const l = page.DistributionList;
      expect(l?.Quantity).toBe(l?.Items?.length ?? 0);
      seen.push(...(l?.Items ?? []).map((s) => s.Id ?? ""));
      if (!l?.IsTruncated) break;
      marker = l.NextMarker;
    }
    expect(seen).toEqual(expect.arrayContaining(ids));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("keeps every member a client sends, in the model's order (round-trip)", async () => {
    const cfg = distributionConfig(ref("rt"), 9001, {
      Logging: { Enabled: false, IncludeCookies: false, Bucket: "", Prefix: "" },
      PriceClass: "PriceClass_100",
      ViewerCertificate: { CloudFrontDefaultCertificate: true, MinimumProtocolVersion: "TLSv1" },
      Restrictions: { GeoRestriction: { RestrictionType: "blacklist", Quantity: 2, Items: ["KP", "IR"] } },
      WebACLId: "",
      HttpVersion: "http2",
      IsIPV6Enabled: true,
      CustomErrorResponses: {
        Quantity: 1,
        Items: [{ ErrorCode: 404, ResponsePagePath: "/404.html", ResponseCode: "404", ErrorCachingMinTTL: 60 }],
      },
    });
    const created = await t.cf.send(new CreateDistributionCommand({ DistributionConfig: cfg }));
    const got = await t.cf.send(new GetDistributionConfigCommand({ Id: created.Distribution?.Id }));
    expect(got.DistributionConfig).toMatchObject(cfg);
  });
});

describe("settings", () => {
  it("the domain suffix and the API prefix are configurable; responses carry x-amz-request-id", async () => {
    const own = await startWorker({ DOMAIN_SUFFIX: "cdn.example.test", CONTROL_PATH_PREFIX: "/api/cloudfront" });
    const c = cloudfront(own.endpoint);
    try {
      expect(own.endpoint).toMatch(/\/api\/cloudfront$/);
      const r = await c.send(
        new CreateDistributionCommand({ DistributionConfig: distributionConfig(ref("suffix"), 9001) }),
      );
      expect(r.Distribution?.DomainName).toMatch(/^d[a-z0-9]{13}\.cdn\.example\.test$/);
      expect(r.Location).toBe(`${own.endpoint}/2020-05-31/distribution/${r.Distribution?.Id}`);
      expect(r.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      c.destroy();
      await own.stop();
    }
  });
});

describe("continuous deployment policies and the full flow", () => {
  it("primary → copy to staging → policy → attach → update weight → promote", async () => {
    const primaryCfg = distributionConfig(ref("flow"), origins.ports.primary, { Comment: "primary" });
    const primary = await t.cf.send(new CreateDistributionCommand({ DistributionConfig: primaryCfg }));
    const primaryId = primary.Distribution?.Id ?? "";
    const copy = await t.cf.send(
      new CopyDistributionCommand({
        PrimaryDistributionId: primaryId,
        Staging: true,
        IfMatch: primary.ETag,
        CallerReference: ref("flow-staging"),
        Enabled: true,
      }),
    );
    expect(copy.$metadata.httpStatusCode).toBe(201);
    expect(copy.Distribution?.DistributionConfig?.Staging).toBe(true);
    const stagingId = copy.Distribution?.Id ?? "";
    const stagingDns = copy.Distribution?.DomainName ?? "";
    expect(copy.Location).toBe(`${t.worker.endpoint}/2020-05-31/distribution/${stagingId}`);

    // Point staging at another origin and comment: it is the candidate config.
    const stagingCfg = present(
      (await t.cf.send(new GetDistributionConfigCommand({ Id: stagingId }))).DistributionConfig,
      "staging config",
    );
    const stagingUpdated = await t.cf.send(
      new UpdateDistributionCommand({
        Id: stagingId,
        IfMatch: copy.ETag,
        DistributionConfig: {
          ...stagingCfg,
          Comment: "candidate",
          Origins: distributionConfig("x", origins.ports.staging).Origins,
          Enabled: true,
        },
      }),
    );

    const policy = await t.cf.send(
      new CreateContinuousDeploymentPolicyCommand({ ContinuousDeploymentPolicyConfig: weightPolicy(stagingDns, 0.1) }),
    );
    expect(policy.$metadata.httpStatusCode).toBe(201);
    const policyId = policy.ContinuousDeploymentPolicy?.Id ?? "";
    expect(policyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(policy.Location).toBe(`${t.worker.endpoint}/2020-05-31/continuous-deployment-policy/${policyId}`);

    const gotPolicy = await t.cf.send(new GetContinuousDeploymentPolicyCommand({ Id: policyId }));
    expect(gotPolicy.ETag).toBe(policy.ETag);
    expect(gotPolicy.ContinuousDeploymentPolicy?.ContinuousDeploymentPolicyConfig).toEqual(
      weightPolicy(stagingDns, 0.1),
    );
    const gotConfig = await t.cf.send(new GetContinuousDeploymentPolicyConfigCommand({ Id: policyId }));
    expect(gotConfig.ContinuousDeploymentPolicyConfig).toEqual(weightPolicy(stagingDns, 0.1));
    const list = await t.cf.send(new ListContinuousDeploymentPoliciesCommand({}));
    expect(list.ContinuousDeploymentPolicyList?.Items?.map((s) => s.ContinuousDeploymentPolicy?.Id)).toContain(
      policyId,
    );

    // Attach (only by UpdateDistribution).
    const attached = await t.cf.send(
      new UpdateDistributionCommand({
        Id: primaryId,
        IfMatch: primary.ETag,
        DistributionConfig: { ...primaryCfg, ContinuousDeploymentPolicyId: policyId },
      }),
    );
    const primaryDns = primary.Distribution?.DomainName ?? "";
    const record = (await t.worker.edgeRecord(primaryDns)) as Record<string, unknown>;
    expect(record).toMatchObject({
      kind: "viewer",
      primary: { id: primaryId },
      staging: { id: stagingId },
      policy: { id: policyId, enabled: true, traffic: { type: "SingleWeight", weight: 0.1 } },
    });
    const epoch = (record.policy as { epoch: number }).epoch;
    // The edge splits: about 10 % of fresh viewers reach the staging origin (P(none of 300) < 1e-13).
    const split = await servedBy(primaryDns, 300);
    expect(split.primary ?? 0).toBeGreaterThan(200);
    expect(split.staging ?? 0).toBeGreaterThan(0);
    expect((split.primary ?? 0) + (split.staging ?? 0)).toBe(300);

    // Weight change: no session reset.
    const updatedPolicy = await t.cf.send(
      new UpdateContinuousDeploymentPolicyCommand({
        Id: policyId,
        IfMatch: policy.ETag,
        ContinuousDeploymentPolicyConfig: weightPolicy(stagingDns, 0.15),
      }),
    );
    expect(updatedPolicy.ETag).not.toBe(policy.ETag);
    expect(await t.worker.edgeRecord(primaryDns)).toMatchObject({ policy: { epoch, traffic: { weight: 0.15 } } });

    // Promote: the primary takes staging's config, keeps identity; the policy is off.
    const promoted = await t.cf.send(
      new UpdateDistributionWithStagingConfigCommand({
        Id: primaryId,
        StagingDistributionId: stagingId,
        IfMatch: `${attached.ETag}, ${stagingUpdated.ETag}`,
      }),
    );
    expect(promoted.Distribution?.Id).toBe(primaryId);
    expect(promoted.Distribution?.DomainName).toBe(primaryDns);
    const pc = present(promoted.Distribution?.DistributionConfig, "promoted config");
    expect(pc.Comment).toBe("candidate");
    expect(pc.CallerReference).toBe(primaryCfg.CallerReference);
    expect(pc.Staging).toBe(false);
    expect(pc.ContinuousDeploymentPolicyId).toBe(policyId);
    const off = await t.cf.send(new GetContinuousDeploymentPolicyCommand({ Id: policyId }));
    expect(off.ContinuousDeploymentPolicy?.ContinuousDeploymentPolicyConfig?.Enabled).toBe(false);
    expect(await t.worker.edgeRecord(primaryDns)).toMatchObject({ policy: { enabled: false, epoch: epoch + 1 } });
    // The primary now serves staging's config (its origin), and the policy is off: no split.
    expect(await servedBy(primaryDns, 20)).toEqual({ staging: 20 });

    // Detach with an empty id, then the policy can be deleted.
    const detached = await t.cf.send(
      new UpdateDistributionCommand({
        Id: primaryId,
        IfMatch: promoted.ETag,
        DistributionConfig: { ...pc, ContinuousDeploymentPolicyId: "" },
      }),
    );
    expect(detached.Distribution?.DistributionConfig?.ContinuousDeploymentPolicyId).toBe("");
    const deleted = await t.cf.send(new DeleteContinuousDeploymentPolicyCommand({ Id: policyId, IfMatch: off.ETag }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
  });
});
