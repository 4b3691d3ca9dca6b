/**
 * DistributionConfig comes back as CloudFront returns it, through the real AWS SDK: members a client left out
 * carry CloudFront's defaults, empty lists have no Items, and Create, Get, GetConfig, Update, List and Copy agree,
 * so a read-modify-write round trip changes nothing.
 */
import {
  CopyDistributionCommand,
  CreateContinuousDeploymentPolicyCommand,
  CreateDistributionCommand,
  type DistributionConfig,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  ListDistributionsCommand,
  UpdateDistributionCommand,
} from "@aws-sdk/client-cloudfront";
import { describe, expect, it } from "vitest";
import { signedCall } from "./helpers/raw.js";
import { CACHING_DISABLED, present, ref, stagingPair, weightPolicy } from "./helpers/sdk.js";
import { useWorker } from "./helpers/worker.js";

const t = useWorker();

/** Only the required members, as a minimal client sends them. */
const minimal = (callerReference: string): DistributionConfig => ({
  CallerReference: callerReference,
  Origins: {
    Quantity: 1,
    Items: [
      {
        Id: "site",
        DomainName: "127.0.0.1",
        CustomOriginConfig: { HTTPPort: 9001, HTTPSPort: 443, OriginProtocolPolicy: "http-only" },
      },
    ],
  },
  DefaultCacheBehavior: { TargetOriginId: "site", ViewerProtocolPolicy: "allow-all", CachePolicyId: CACHING_DISABLED },
  Comment: "",
  Enabled: true,
});

describe("members a client left out", () => {
  it("come back with CloudFront's defaults, from every operation alike", async () => {
    const created = await t.cf.send(new CreateDistributionCommand({ DistributionConfig: minimal(ref("def")) }));
    const id = present(created.Distribution?.Id, "id");
    const c = present(created.Distribution?.DistributionConfig, "config");
    expect(c).toMatchObject({
      Aliases: { Quantity: 0 },
      DefaultRootObject: "",
      OriginGroups: { Quantity: 0 },
      CacheBehaviors: { Quantity: 0 },
      CustomErrorResponses: { Quantity: 0 },
      Logging: { Enabled: false, IncludeCookies: false, Bucket: "", Prefix: "" },
      PriceClass: "PriceClass_All",
      ViewerCertificate: { CloudFrontDefaultCertificate: true, MinimumProtocolVersion: "TLSv1" },
      Restrictions: { GeoRestriction: { RestrictionType: "none", Quantity: 0 } },
      WebACLId: "",
      HttpVersion: "http2",
      IsIPV6Enabled: true,
      ContinuousDeploymentPolicyId: "",
      Staging: false,
    });
    expect(c.Origins?.Items?.[0]).toMatchObject({
      OriginPath: "",
      CustomHeaders: { Quantity: 0 },
      ConnectionAttempts: 3,
      ConnectionTimeout: 10,
      OriginShield: { Enabled: false },
      OriginAccessControlId: "",
      CustomOriginConfig: { OriginReadTimeout: 30, OriginKeepaliveTimeout: 5 },
    });
    expect(c.DefaultCacheBehavior).toMatchObject({
      TrustedSigners: { Enabled: false, Quantity: 0 },
      TrustedKeyGroups: { Enabled: false, Quantity: 0 },
      AllowedMethods: { Quantity: 2, Items: ["HEAD", "GET"], CachedMethods: { Quantity: 2, Items: ["HEAD", "GET"] } },
      SmoothStreaming: false,
      Compress: false,
      LambdaFunctionAssociations: { Quantity: 0 },
      FunctionAssociations: { Quantity: 0 },
      FieldLevelEncryptionId: "",
      MinTTL: 0,
    });

    const got = await t.cf.send(new GetDistributionCommand({ Id: id }));
    expect(got.Distribution?.DistributionConfig).toEqual(c);
    const config = await t.cf.send(new GetDistributionConfigCommand({ Id: id }));
    expect(config.DistributionConfig).toEqual(c);
    const list = await t.cf.send(new ListDistributionsCommand({}));
    const summary = present(
      list.DistributionList?.Items?.find((s) => s.Id === id),
      "summary",
    );
    for (const k of [
      "Aliases",
      "Origins",
      "OriginGroups",
      "DefaultCacheBehavior",
      "CacheBehaviors",
      "CustomErrorResponses",
      "Comment",
      "PriceClass",
      "Enabled",
      "ViewerCertificate",
      "Restrictions",
      "WebACLId",
      "HttpVersion",
      "IsIPV6Enabled",
      "Staging",
    ] as const) {
      expect(summary[k], k).toEqual(c[k]);
    }
    expect(summary.Status).toBe(got.Distribution?.Status);

    // Copy keeps the primary's normalised members (but not its aliases or policy).
    const copy = await t.cf.send(
      new CopyDistributionCommand({
        PrimaryDistributionId: id,
        Staging: true,
        IfMatch: config.ETag,
        CallerReference: ref("def-copy"),
      }),
    );
    expect(copy.Distribution?.DistributionConfig).toEqual({ ...c, CallerReference: expect.any(String), Staging: true });
  });

  it("empty lists carry no Items on the wire, as CloudFront's", async () => {
    const created = await t.cf.send(new CreateDistributionCommand({ DistributionConfig: minimal(ref("wire")) }));
    const res = await signedCall(t.worker.endpoint, "GET", `/distribution/${created.Distribution?.Id}/config`);
    const xml = await res.text();
    expect(xml).toContain("<Aliases><Quantity>0</Quantity></Aliases>");
    expect(xml).toContain("<TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners>");
    expect(xml).not.toMatch(/<Items><\/Items>/);
  });

  it("a read-modify-write round trip changes nothing, and an omitted policy id keeps the attachment", async () => {
    const pair = await stagingPair(t.cf, "rmw");
    const policy = await t.cf.send(
      new CreateContinuousDeploymentPolicyCommand({
        ContinuousDeploymentPolicyConfig: weightPolicy(pair.stagingDomain, 0.1),
      }),
    );
    const before = await t.cf.send(new GetDistributionConfigCommand({ Id: pair.primaryId }));
    const attach = {
      ...present(before.DistributionConfig, "config"),
      ContinuousDeploymentPolicyId: policy.ContinuousDeploymentPolicy?.Id,
    };
    await t.cf.send(
      new UpdateDistributionCommand({ Id: pair.primaryId, IfMatch: before.ETag, DistributionConfig: attach }),
    );
    const read = await t.cf.send(new GetDistributionConfigCommand({ Id: pair.primaryId }));
    const sentBack = await t.cf.send(
      new UpdateDistributionCommand({
        Id: pair.primaryId,
        IfMatch: read.ETag,
        DistributionConfig: read.DistributionConfig,
      }),
    );
    expect(sentBack.Distribution?.DistributionConfig).toEqual(read.DistributionConfig);
    const { ContinuousDeploymentPolicyId: _omitted, ...withoutId } = present(read.DistributionConfig, "config");
    const kept = await t.cf.send(
      new UpdateDistributionCommand({ Id: pair.primaryId, IfMatch: sentBack.ETag, DistributionConfig: withoutId }),
    );
    expect(kept.Distribution?.DistributionConfig).toEqual(read.DistributionConfig);
    expect(kept.Distribution?.DistributionConfig?.ContinuousDeploymentPolicyId).toBe(
      policy.ContinuousDeploymentPolicy?.Id,
    );
  });
});
