import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDocument } from "../../../../src/control/xml/parse.js";
import { serializeDocument } from "../../../../src/control/xml/serialize.js";
import { normalizeDistributionConfig } from "../../../../src/domain/distribution/normalize.js";
import type { DistributionConfig } from "../../../../src/domain/distribution/types.js";
import { arb } from "../../control/model-arbitrary.js";

/** Any DistributionConfig of the model, as the shape-driven parser would hand it over. */
const anyConfig = arb("DistributionConfig").map((v) => v as unknown as DistributionConfig);

const minimal: DistributionConfig = {
  CallerReference: "cli-example",
  Origins: {
    Quantity: 1,
    Items: [
      {
        Id: "site",
        DomainName: "origin.example",
        CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: "http-only" },
      },
    ],
  },
  DefaultCacheBehavior: {
    TargetOriginId: "site",
    ViewerProtocolPolicy: "allow-all",
    ForwardedValues: { QueryString: false, Cookies: { Forward: "none" } },
    MinTTL: 0,
  },
  Comment: "",
  Enabled: true,
};

describe("normalizeDistributionConfig: the config as CloudFront returns it", () => {
  it("fills every member a client left out with CloudFront's default (the AWS CLI's create-distribution output)", () => {
    expect(normalizeDistributionConfig(minimal)).toEqual({
      CallerReference: "cli-example",
      Aliases: { Quantity: 0 },
      DefaultRootObject: "",
      Origins: {
        Quantity: 1,
        Items: [
          {
            Id: "site",
            DomainName: "origin.example",
            OriginPath: "",
            CustomHeaders: { Quantity: 0 },
            CustomOriginConfig: {
              HTTPPort: 80,
              HTTPSPort: 443,
              OriginProtocolPolicy: "http-only",
              OriginSslProtocols: { Quantity: 3, Items: ["TLSv1", "TLSv1.1", "TLSv1.2"] },
              OriginReadTimeout: 30,
              OriginKeepaliveTimeout: 5,
            },
            ConnectionAttempts: 3,
            ConnectionTimeout: 10,
            OriginShield: { Enabled: false },
            OriginAccessControlId: "",
          },
        ],
      },
      OriginGroups: { Quantity: 0 },
      DefaultCacheBehavior: {
        TargetOriginId: "site",
        TrustedSigners: { Enabled: false, Quantity: 0 },
        TrustedKeyGroups: { Enabled: false, Quantity: 0 },
        ViewerProtocolPolicy: "allow-all",
        AllowedMethods: {
          Quantity: 2,
          Items: ["HEAD", "GET"],
          CachedMethods: { Quantity: 2, Items: ["HEAD", "GET"] },
        },
        SmoothStreaming: false,
        Compress: false,
        LambdaFunctionAssociations: { Quantity: 0 },
        FunctionAssociations: { Quantity: 0 },
        FieldLevelEncryptionId: "",
        ForwardedValues: {
          QueryString: false,
          Cookies: { Forward: "none" },
          Headers: { Quantity: 0 },
          QueryStringCacheKeys: { Quantity: 0 },
        },
        MinTTL: 0,
        DefaultTTL: 86400,
        MaxTTL: 31536000,
      },
      CacheBehaviors: { Quantity: 0 },
      CustomErrorResponses: { Quantity: 0 },
      Comment: "",
      Logging: { Enabled: false, IncludeCookies: false, Bucket: "", Prefix: "" },
      PriceClass: "PriceClass_All",
      Enabled: true,
      ViewerCertificate: {
        CloudFrontDefaultCertificate: true,
        SSLSupportMethod: "vip",
        MinimumProtocolVersion: "TLSv1",
        CertificateSource: "cloudfront",
      },
      Restrictions: { GeoRestriction: { RestrictionType: "none", Quantity: 0 } },
      WebACLId: "",
      HttpVersion: "http2",
      IsIPV6Enabled: true,
      ContinuousDeploymentPolicyId: "",
      Staging: false,
    });
  });

  it("keeps what was sent; a cache policy's behaviour gets no legacy DefaultTTL/MaxTTL", () => {
    const sent: DistributionConfig = {
      ...minimal,
      DefaultCacheBehavior: {
        TargetOriginId: "site",
        ViewerProtocolPolicy: "https-only",
        CachePolicyId: "658327ea-f89d-4fab-a63d-7e88639e58f6",
        Compress: true,
        AllowedMethods: { Quantity: 3, Items: ["GET", "HEAD", "OPTIONS"] },
      },
      IsIPV6Enabled: false,
      HttpVersion: "http1.1",
      ViewerCertificate: {
        ACMCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/x",
        SSLSupportMethod: "sni-only",
        MinimumProtocolVersion: "TLSv1.2_2021",
      },
    };
    const n = normalizeDistributionConfig(sent);
    expect(n.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: "https-only",
      Compress: true,
      MinTTL: 0,
      AllowedMethods: { Quantity: 3, Items: ["GET", "HEAD", "OPTIONS"], CachedMethods: { Quantity: 2 } },
    });
    expect(n.DefaultCacheBehavior?.DefaultTTL).toBeUndefined();
    expect(n.DefaultCacheBehavior?.MaxTTL).toBeUndefined();
    expect(n).toMatchObject({ IsIPV6Enabled: false, HttpVersion: "http1.1" });
    expect(n.ViewerCertificate).toEqual({
      CloudFrontDefaultCertificate: false,
      ACMCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/x",
      SSLSupportMethod: "sni-only",
      MinimumProtocolVersion: "TLSv1.2_2021",
      Certificate: "arn:aws:acm:us-east-1:123456789012:certificate/x",
      CertificateSource: "acm",
    });
  });

  it("legacy TTL defaults keep MinTTL ≤ DefaultTTL ≤ MaxTTL with the TTLs that were sent", () => {
    const ttls = (b: Partial<DistributionConfig["DefaultCacheBehavior"]>) => {
      const n = normalizeDistributionConfig({
        ...minimal,
        DefaultCacheBehavior: { ...minimal.DefaultCacheBehavior, ...b } as DistributionConfig["DefaultCacheBehavior"],
      });
      const d = n.DefaultCacheBehavior;
      return [d?.MinTTL, d?.DefaultTTL, d?.MaxTTL];
    };
    expect(ttls({})).toEqual([0, 86400, 31536000]);
    expect(ttls({ MaxTTL: 3600 })).toEqual([0, 3600, 3600]);
    expect(ttls({ MinTTL: 100000 })).toEqual([100000, 100000, 31536000]);
    expect(ttls({ DefaultTTL: 40000000 })).toEqual([0, 40000000, 40000000]);
  });

  it("the default certificate always has the TLSv1 security policy (API reference, ViewerCertificate)", () => {
    const n = normalizeDistributionConfig({
      ...minimal,
      ViewerCertificate: { CloudFrontDefaultCertificate: true, MinimumProtocolVersion: "TLSv1.2_2021" },
    });
    expect(n.ViewerCertificate).toEqual({
      CloudFrontDefaultCertificate: true,
      SSLSupportMethod: "vip",
      MinimumProtocolVersion: "TLSv1",
      CertificateSource: "cloudfront",
    });
  });

  it("empty lists carry no Items; disabled logging keeps no bucket (API reference, LoggingConfig)", () => {
    const n = normalizeDistributionConfig({
      ...minimal,
      Aliases: { Quantity: 0, Items: [] },
      Logging: { Enabled: false, IncludeCookies: false, Bucket: "logs.s3.amazonaws.com", Prefix: "p/" },
    });
    expect(n.Aliases).toEqual({ Quantity: 0 });
    expect(n.Logging).toEqual({ Enabled: false, IncludeCookies: false, Bucket: "", Prefix: "" });
  });

  it("is idempotent and its result survives the XML round trip unchanged, for any config of the model", () => {
    fc.assert(
      fc.property(anyConfig, (c) => {
        const n = normalizeDistributionConfig(c);
        expect(normalizeDistributionConfig(n)).toEqual(n);
        const xml = serializeDocument("DistributionConfig", "DistributionConfig", n as never);
        expect(parseDocument(xml, "DistributionConfig", "DistributionConfig")).toEqual({ ok: true, value: n });
      }),
      { numRuns: 80 },
    );
  });

  it("always has the members the Terraform provider dereferences without a nil check", () => {
    fc.assert(
      fc.property(anyConfig, (c) => {
        const n = normalizeDistributionConfig(c);
        expect(n.OriginGroups?.Quantity).toBeTypeOf("number");
        for (const b of [n.DefaultCacheBehavior, ...(n.CacheBehaviors?.Items ?? [])]) {
          if (b === undefined) continue;
          expect(b.Compress).toBeTypeOf("boolean");
          expect(b.MinTTL).toBeTypeOf("number");
          expect(b.TrustedSigners?.Quantity).toBeTypeOf("number");
          expect(b.TrustedKeyGroups?.Quantity).toBeTypeOf("number");
          expect(b.LambdaFunctionAssociations?.Quantity).toBeTypeOf("number");
          expect(b.FunctionAssociations?.Quantity).toBeTypeOf("number");
          expect(b.AllowedMethods?.CachedMethods?.Quantity).toBeTypeOf("number");
          for (const l of b.LambdaFunctionAssociations?.Items ?? []) expect(l.IncludeBody).toBeTypeOf("boolean");
        }
        for (const o of n.Origins?.Items ?? []) {
          if (o.CustomOriginConfig === undefined) continue;
          expect(o.CustomOriginConfig.OriginReadTimeout).toBeTypeOf("number");
          expect(o.CustomOriginConfig.OriginKeepaliveTimeout).toBeTypeOf("number");
          expect(o.CustomOriginConfig.OriginSslProtocols?.Quantity).toBeTypeOf("number");
        }
      }),
      { numRuns: 80 },
    );
  });
});
