/**
 * A DistributionConfig that sets most members CloudFront validates (two origins and a group, custom headers,
 * timeouts, a legacy behaviour with TTLs, an error page, geo restriction, logging, certificate), valid as a whole:
 * the starting point of the fuzzer's and the validation table's mutations.
 */
import type { DistributionConfig } from "@aws-sdk/client-cloudfront";
import { serializeDocument } from "../../../src/control/xml/serialize.js";
import type { XmlStruct } from "../../../src/control/xml/value.js";

/** The managed cache policy CachingDisabled. */
const CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";

export function richConfig(ref: string, alias: string, port = 9001): DistributionConfig {
  return {
    CallerReference: ref,
    Aliases: { Quantity: 1, Items: [alias] },
    DefaultRootObject: "index.html",
    Origins: {
      Quantity: 2,
      Items: [
        {
          Id: "web",
          DomainName: "127.0.0.1",
          OriginPath: "/site",
          CustomHeaders: { Quantity: 1, Items: [{ HeaderName: "x-origin-secret", HeaderValue: "s3cr3t value" }] },
          CustomOriginConfig: {
            HTTPPort: port,
            HTTPSPort: 443,
            OriginProtocolPolicy: "http-only",
            OriginSslProtocols: { Quantity: 1, Items: ["TLSv1.2"] },
            OriginReadTimeout: 30,
            OriginKeepaliveTimeout: 5,
          },
          ConnectionAttempts: 3,
          ConnectionTimeout: 10,
        },
        {
          Id: "bucket",
          DomainName: "assets.s3.us-east-1.amazonaws.com",
          OriginPath: "",
          CustomHeaders: { Quantity: 0 },
          S3OriginConfig: { OriginAccessIdentity: "" },
        },
      ],
    },
    OriginGroups: {
      Quantity: 1,
      Items: [
        {
          Id: "failover",
          FailoverCriteria: { StatusCodes: { Quantity: 2, Items: [500, 503] } },
          Members: { Quantity: 2, Items: [{ OriginId: "web" }, { OriginId: "bucket" }] },
        },
      ],
    },
    DefaultCacheBehavior: {
      TargetOriginId: "failover",
      ViewerProtocolPolicy: "redirect-to-https",
      AllowedMethods: {
        Quantity: 3,
        Items: ["GET", "HEAD", "OPTIONS"],
        CachedMethods: { Quantity: 2, Items: ["GET", "HEAD"] },
      },
      CachePolicyId: CACHING_DISABLED,
      Compress: true,
    },
    CacheBehaviors: {
      Quantity: 1,
      Items: [
        {
          PathPattern: "/static/*.css",
          TargetOriginId: "bucket",
          ViewerProtocolPolicy: "allow-all",
          ForwardedValues: {
            QueryString: true,
            Cookies: { Forward: "whitelist", WhitelistedNames: { Quantity: 1, Items: ["session"] } },
            Headers: { Quantity: 1, Items: ["Accept-Language"] },
            QueryStringCacheKeys: { Quantity: 1, Items: ["v"] },
          },
          MinTTL: 0,
          DefaultTTL: 3600,
          MaxTTL: 86400,
        },
      ],
    },
    CustomErrorResponses: {
      Quantity: 1,
      Items: [{ ErrorCode: 404, ResponsePagePath: "/errors/404.html", ResponseCode: "404", ErrorCachingMinTTL: 60 }],
    },
    Comment: "rich config",
    Logging: { Enabled: true, IncludeCookies: false, Bucket: "logs.s3.amazonaws.com", Prefix: "cf/" },
    PriceClass: "PriceClass_100",
    Enabled: true,
    ViewerCertificate: { CloudFrontDefaultCertificate: true, MinimumProtocolVersion: "TLSv1" },
    Restrictions: { GeoRestriction: { RestrictionType: "whitelist", Quantity: 2, Items: ["US", "DE"] } },
    WebACLId: "",
    HttpVersion: "http2",
    IsIPV6Enabled: true,
  };
}

/** The config as the body of CreateDistribution / UpdateDistribution, without the XML declaration. */
export const configXml = (c: DistributionConfig): string =>
  serializeDocument("DistributionConfig", "DistributionConfig", c as unknown as XmlStruct).replace(
    /^<\?xml[^>]*\?>\n/,
    "",
  );
