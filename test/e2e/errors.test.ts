/**
 * Every error code of the reference's table (§2) and the §3 validation rules, provoked through the real AWS SDK
 * against the worker; each must arrive as the CloudFront error the SDK recognises, with the right HTTP status.
 */
import {
  CopyDistributionCommand,
  CreateContinuousDeploymentPolicyCommand,
  CreateDistributionCommand,
  DeleteContinuousDeploymentPolicyCommand,
  DeleteDistributionCommand,
  GetContinuousDeploymentPolicyCommand,
  GetDistributionCommand,
  ListDistributionsCommand,
  UpdateContinuousDeploymentPolicyCommand,
  UpdateDistributionCommand,
  UpdateDistributionWithStagingConfigCommand,
  type ViewerProtocolPolicy,
} from "@aws-sdk/client-cloudfront";
import { describe, expect, it } from "vitest";
import { startWorker } from "../support/node/worker-harness.js";
import {
  cloudfront,
  distributionConfig,
  expectCloudFrontError,
  headerPolicy,
  present,
  ref,
  weightPolicy,
} from "./helpers/sdk.js";
import { useWorker } from "./helpers/worker.js";

const t = useWorker();

async function primary(overrides = {}) {
  const cfg = distributionConfig(ref("p"), 9001, overrides);
  const r = await t.cf.send(new CreateDistributionCommand({ DistributionConfig: cfg }));
  return { id: present(r.Distribution?.Id, "id"), etag: present(r.ETag, "etag"), cfg };
}

async function staging(primaryId: string, enabled = true) {
  const r = await t.cf.send(
    new CopyDistributionCommand({
      PrimaryDistributionId: primaryId,
      Staging: true,
      CallerReference: ref("s"),
      Enabled: enabled,
    }),
  );
  return {
    id: present(r.Distribution?.Id, "id"),
    etag: present(r.ETag, "etag"),
    dns: present(r.Distribution?.DomainName, "dns"),
    cfg: present(r.Distribution?.DistributionConfig, "config"),
  };
}

describe("AccessDenied (403)", () => {
  it("unknown access key, wrong secret", async () => {
    const bad = cloudfront(t.worker.endpoint, { accessKeyId: "nobody", secretAccessKey: "test" });
    await expectCloudFrontError(bad.send(new ListDistributionsCommand({})), "AccessDenied", 403);
    const wrong = cloudfront(t.worker.endpoint, { accessKeyId: "test", secretAccessKey: "wrong" });
    await expectCloudFrontError(wrong.send(new ListDistributionsCommand({})), "AccessDenied", 403);
  });
});

describe("400s on input", () => {
  it("InvalidArgument for §3 rules", async () => {
    const p = await primary();
    const s = await staging(p.id);
    const create = (c: ReturnType<typeof weightPolicy>) =>
      t.cf.send(new CreateContinuousDeploymentPolicyCommand({ ContinuousDeploymentPolicyConfig: c }));
    await expectCloudFrontError(create(weightPolicy(s.dns, 0.16)), "InvalidArgument", 400);
    await expectCloudFrontError(create(weightPolicy(s.dns, -0.01)), "InvalidArgument", 400);
    const ttl = weightPolicy(s.dns, 0.1);
    ttl.TrafficConfig = {
      Type: "SingleWeight",
      SingleWeightConfig: { Weight: 0.1, SessionStickinessConfig: { IdleTTL: 299, MaximumTTL: 600 } },
    };
    await expectCloudFrontError(create(ttl), "InvalidArgument", 400);
    await expectCloudFrontError(create(headerPolicy(s.dns, "x-not-prefixed", "v")), "InvalidArgument", 400);
    const mismatch = headerPolicy(s.dns, "aws-cf-cd-test", "v");
    mismatch.TrafficConfig = { Type: "SingleWeight", SingleHeaderConfig: { Header: "aws-cf-cd-test", Value: "v" } };
    await expectCloudFrontError(create(mismatch), "InvalidArgument", 400);
    // Names a primary, not a staging distribution.
    const primaryDns = present(
      (await t.cf.send(new GetDistributionCommand({ Id: p.id }))).Distribution?.DomainName,
      "dns",
    );
    await expectCloudFrontError(create(weightPolicy(primaryDns, 0.1)), "InvalidArgument", 400);
    // A policy id on CreateDistribution.
    await expectCloudFrontError(
      t.cf.send(
        new CreateDistributionCommand({
          DistributionConfig: distributionConfig(ref("p"), 9001, { ContinuousDeploymentPolicyId: "x" }),
        }),
      ),
      "InvalidArgument",
      400,
    );
    // Aliases on a staging distribution.
    await expectCloudFrontError(
      t.cf.send(
        new UpdateDistributionCommand({
          Id: s.id,
          IfMatch: s.etag,
          DistributionConfig: { ...s.cfg, Aliases: { Quantity: 1, Items: ["staging.example.test"] } },
        }),
      ),
      "InvalidArgument",
      400,
    );
    // HTTP/3 on a primary with a policy attached.
    const pol = await create(weightPolicy(s.dns, 0.1));
    await expectCloudFrontError(
      t.cf.send(
        new UpdateDistributionCommand({
          Id: p.id,
          IfMatch: p.etag,
          DistributionConfig: {
            ...p.cfg,
            HttpVersion: "http3",
            ContinuousDeploymentPolicyId: pol.ContinuousDeploymentPolicy?.Id,
          },
        }),
      ),
      "InvalidArgument",
      400,
    );
  });

  it("InconsistentQuantities, MalformedXML (unknown enum value), MissingBody", async () => {
    const cfg = distributionConfig(ref("q"), 9001, { Aliases: { Quantity: 2, Items: ["one.example.test"] } });
    await expectCloudFrontError(
      t.cf.send(new CreateDistributionCommand({ DistributionConfig: cfg })),
      "InconsistentQuantities",
      400,
    );
    const bad = distributionConfig(ref("m"), 9001);
    bad.DefaultCacheBehavior = {
      ...present(bad.DefaultCacheBehavior, "dcb"),
      ViewerProtocolPolicy: "sometimes" as ViewerProtocolPolicy,
    };
    await expectCloudFrontError(
      t.cf.send(new CreateDistributionCommand({ DistributionConfig: bad })),
      "MalformedXML",
      400,
    );
    await expectCloudFrontError(
      t.cf.send(new CreateContinuousDeploymentPolicyCommand({ ContinuousDeploymentPolicyConfig: undefined })),
      "MissingBody",
      400,
    );
  });

  it("InvalidIfMatchVersion and PreconditionFailed (412)", async () => {
    const p = await primary();
    await expectCloudFrontError(
      t.cf.send(new UpdateDistributionCommand({ Id: p.id, DistributionConfig: p.cfg })),
      "InvalidIfMatchVersion",
      400,
    );
    const ok = await t.cf.send(new UpdateDistributionCommand({ Id: p.id, IfMatch: p.etag, DistributionConfig: p.cfg }));
    expect(ok.ETag).not.toBe(p.etag);
    await expectCloudFrontError(
      t.cf.send(new UpdateDistributionCommand({ Id: p.id, IfMatch: p.etag, DistributionConfig: p.cfg })),
      "PreconditionFailed",
      412,
    );
    await expectCloudFrontError(
      t.cf.send(
        new UpdateDistributionWithStagingConfigCommand({ Id: p.id, StagingDistributionId: p.id, IfMatch: "only-one" }),
      ),
      "InvalidIfMatchVersion",
      400,
    );
  });

  it("IllegalUpdate: CallerReference and Staging never change", async () => {
    const p = await primary();
    await expectCloudFrontError(
      t.cf.send(
        new UpdateDistributionCommand({
          Id: p.id,
          IfMatch: p.etag,
          DistributionConfig: { ...p.cfg, CallerReference: "other" },
        }),
      ),
      "IllegalUpdate",
      400,
    );
    await expectCloudFrontError(
      t.cf.send(
        new UpdateDistributionCommand({ Id: p.id, IfMatch: p.etag, DistributionConfig: { ...p.cfg, Staging: true } }),
      ),
      "IllegalUpdate",
      400,
    );
  });
});

describe("IllegalUpdate under continuous deployment (reference §5)", () => {
  it("while attached, only §5 settings may change; staging path patterns stay within the primary's", async () => {
    const p = await primary();
    const s = await staging(p.id);
    const created = await t.cf.send(
      new CreateContinuousDeploymentPolicyCommand({ ContinuousDeploymentPolicyConfig: weightPolicy(s.dns, 0.1) }),
    );
    const attachedCfg = { ...p.cfg, ContinuousDeploymentPolicyId: created.ContinuousDeploymentPolicy?.Id };
    const attached = await t.cf.send(
      new UpdateDistributionCommand({ Id: p.id, IfMatch: p.etag, DistributionConfig: attachedCfg }),
    );
    await expectCloudFrontError(
      t.cf.send(
        new UpdateDistributionCommand({
          Id: p.id,
          IfMatch: attached.ETag,
          DistributionConfig: { ...attachedCfg, PriceClass: "PriceClass_100" },
        }),
      ),
      "IllegalUpdate",
      400,
    );
    const extra = {
      ...s.cfg,
      CacheBehaviors: {
        Quantity: 1,
        Items: [
          {
            PathPattern: "/new/*",
            TargetOriginId: "origin",
            ViewerProtocolPolicy: "allow-all" as const,
            CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
          },
        ],
      },
    };
    await expectCloudFrontError(
      t.cf.send(new UpdateDistributionCommand({ Id: s.id, IfMatch: s.etag, DistributionConfig: extra })),
      "IllegalUpdate",
      400,
    );
    const ok = await t.cf.send(
      new UpdateDistributionCommand({ Id: s.id, IfMatch: s.etag, DistributionConfig: { ...s.cfg, Comment: "fine" } }),
    );
    expect(ok.Distribution?.DistributionConfig?.Comment).toBe("fine");
  });
});

describe("404s", () => {
  it("NoSuchDistribution, NoSuchContinuousDeploymentPolicy", async () => {
    await expectCloudFrontError(
      t.cf.send(new GetDistributionCommand({ Id: "EDOESNOTEXIST1" })),
      "NoSuchDistribution",
      404,
    );
    await expectCloudFrontError(
      t.cf.send(new GetContinuousDeploymentPolicyCommand({ Id: "00000000-0000-4000-8000-000000000000" })),
      "NoSuchContinuousDeploymentPolicy",
      404,
    );
    const p = await primary();
    await expectCloudFrontError(
      t.cf.send(
        new UpdateDistributionCommand({
          Id: p.id,
          IfMatch: p.etag,
          DistributionConfig: { ...p.cfg, ContinuousDeploymentPolicyId: "00000000-0000-4000-8000-000000000000" },
        }),
      ),
      "NoSuchContinuousDeploymentPolicy",
      404,
    );
  });
});

describe("409s", () => {
  it("DistributionAlreadyExists, CNAMEAlreadyExists, DistributionNotDisabled", async () => {
    const p = await primary({ Aliases: { Quantity: 1, Items: ["taken.example.test"] } });
    await expectCloudFrontError(
      t.cf.send(new CreateDistributionCommand({ DistributionConfig: p.cfg })),
      "DistributionAlreadyExists",
      409,
    );
    await expectCloudFrontError(
      t.cf.send(
        new CreateDistributionCommand({
          DistributionConfig: distributionConfig(ref("c"), 9001, {
            Aliases: { Quantity: 1, Items: ["taken.example.test"] },
          }),
        }),
      ),
      "CNAMEAlreadyExists",
      409,
    );
    await expectCloudFrontError(
      t.cf.send(new DeleteDistributionCommand({ Id: p.id, IfMatch: p.etag })),
      "DistributionNotDisabled",
      409,
    );
  });

  it("ContinuousDeploymentPolicyAlreadyExists, StagingDistributionInUse, ContinuousDeploymentPolicyInUse", async () => {
    const p = await primary();
    const s = await staging(p.id);
    const created = await t.cf.send(
      new CreateContinuousDeploymentPolicyCommand({ ContinuousDeploymentPolicyConfig: weightPolicy(s.dns, 0.05) }),
    );
    const policyId = present(created.ContinuousDeploymentPolicy?.Id, "policy id");
    await expectCloudFrontError(
      t.cf.send(
        new CreateContinuousDeploymentPolicyCommand({ ContinuousDeploymentPolicyConfig: weightPolicy(s.dns, 0.05) }),
      ),
      "ContinuousDeploymentPolicyAlreadyExists",
      409,
    );
    await expectCloudFrontError(
      t.cf.send(
        new CreateContinuousDeploymentPolicyCommand({ ContinuousDeploymentPolicyConfig: weightPolicy(s.dns, 0.1) }),
      ),
      "StagingDistributionInUse",
      409,
    );
    // Disabling a staging distribution a policy names.
    await expectCloudFrontError(
      t.cf.send(
        new UpdateDistributionCommand({ Id: s.id, IfMatch: s.etag, DistributionConfig: { ...s.cfg, Enabled: false } }),
      ),
      "StagingDistributionInUse",
      409,
    );
    // Attach, then: deleting the policy, and attaching it to a second primary, are refused.
    await t.cf.send(
      new UpdateDistributionCommand({
        Id: p.id,
        IfMatch: p.etag,
        DistributionConfig: { ...p.cfg, ContinuousDeploymentPolicyId: policyId },
      }),
    );
    await expectCloudFrontError(
      t.cf.send(new DeleteContinuousDeploymentPolicyCommand({ Id: policyId, IfMatch: created.ETag })),
      "ContinuousDeploymentPolicyInUse",
      409,
    );
    const second = await primary();
    await expectCloudFrontError(
      t.cf.send(
        new UpdateDistributionCommand({
          Id: second.id,
          IfMatch: second.etag,
          DistributionConfig: { ...second.cfg, ContinuousDeploymentPolicyId: policyId },
        }),
      ),
      "ContinuousDeploymentPolicyInUse",
      409,
    );
  });

  it("StagingDistributionInUse when deleting a (disabled) staging distribution a policy names", async () => {
    const p = await primary();
    const s = await staging(p.id, false);
    await t.cf.send(
      new CreateContinuousDeploymentPolicyCommand({
        ContinuousDeploymentPolicyConfig: weightPolicy(s.dns, 0.1, false),
      }),
    );
    await expectCloudFrontError(
      t.cf.send(new DeleteDistributionCommand({ Id: s.id, IfMatch: s.etag })),
      "StagingDistributionInUse",
      409,
    );
  });
});

describe("quotas", () => {
  it("TooManyContinuousDeploymentPolicies past 20 (and 20 staging distributions at most)", async () => {
    const own = await startWorker();
    const c = cloudfront(own.endpoint);
    try {
      const r = await c.send(
        new CreateDistributionCommand({ DistributionConfig: distributionConfig(ref("quota"), 9001) }),
      );
      const pid = present(r.Distribution?.Id, "id");
      const dns: string[] = [];
      for (let i = 0; i < 20; i++) {
        const s = await c.send(
          new CopyDistributionCommand({ PrimaryDistributionId: pid, Staging: true, CallerReference: ref("qs") }),
        );
        dns.push(present(s.Distribution?.DomainName, "dns"));
      }
      await expectCloudFrontError(
        c.send(new CopyDistributionCommand({ PrimaryDistributionId: pid, Staging: true, CallerReference: ref("qs") })),
        "InvalidArgument",
        400,
      );
      for (const d of dns) {
        await c.send(
          new CreateContinuousDeploymentPolicyCommand({ ContinuousDeploymentPolicyConfig: weightPolicy(d, 0.1) }),
        );
      }
      await expectCloudFrontError(
        c.send(
          new CreateContinuousDeploymentPolicyCommand({
            ContinuousDeploymentPolicyConfig: headerPolicy(dns[0] ?? "", "aws-cf-cd-x", "y"),
          }),
        ),
        "TooManyContinuousDeploymentPolicies",
        400,
      );
    } finally {
      c.destroy();
      await own.stop();
    }
  });
});

describe("policy updates", () => {
  it("UpdateContinuousDeploymentPolicy with a stale If-Match is PreconditionFailed", async () => {
    const p = await primary();
    const s = await staging(p.id);
    const created = await t.cf.send(
      new CreateContinuousDeploymentPolicyCommand({ ContinuousDeploymentPolicyConfig: weightPolicy(s.dns, 0.05) }),
    );
    const id = present(created.ContinuousDeploymentPolicy?.Id, "id");
    await t.cf.send(
      new UpdateContinuousDeploymentPolicyCommand({
        Id: id,
        IfMatch: created.ETag,
        ContinuousDeploymentPolicyConfig: weightPolicy(s.dns, 0.06),
      }),
    );
    await expectCloudFrontError(
      t.cf.send(
        new UpdateContinuousDeploymentPolicyCommand({
          Id: id,
          IfMatch: created.ETag,
          ContinuousDeploymentPolicyConfig: weightPolicy(s.dns, 0.07),
        }),
      ),
      "PreconditionFailed",
      412,
    );
  });
});
