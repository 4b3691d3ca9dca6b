/**
 * A full, realistic DistributionConfig (aliases, two origins and an origin group, three behaviours, error
 * responses, logging, certificate, geo restriction) as the XML codec's value type, for the codec micro-benchmark.
 */
import type { XmlStruct } from "../src/control/xml/value.js";

const methods = (items: string[]) => ({ Quantity: items.length, Items: items });

function origin(id: string, domain: string): XmlStruct {
  return {
    Id: id,
    DomainName: domain,
    OriginPath: "/site",
    CustomHeaders: { Quantity: 1, Items: [{ HeaderName: "x-origin-verify", HeaderValue: "s3cr3t-value" }] },
    CustomOriginConfig: {
      HTTPPort: 80,
      HTTPSPort: 443,
      OriginProtocolPolicy: "https-only",
      OriginSslProtocols: { Quantity: 1, Items: ["TLSv1.2"] },
      OriginReadTimeout: 30,
      OriginKeepaliveTimeout: 5,
    },
    ConnectionAttempts: 3,
    ConnectionTimeout: 10,
    OriginShield: { Enabled: false },
  };
}

function behavior(pathPattern: string | null, target: string, ttl: number): XmlStruct {
  return {
    ...(pathPattern === null ? {} : { PathPattern: pathPattern }),
    TargetOriginId: target,
    TrustedSigners: { Enabled: false, Quantity: 0 },
    TrustedKeyGroups: { Enabled: false, Quantity: 0 },
    ViewerProtocolPolicy: "redirect-to-https",
    AllowedMethods: { ...methods(["GET", "HEAD", "OPTIONS"]), CachedMethods: methods(["GET", "HEAD"]) },
    SmoothStreaming: false,
    Compress: true,
    LambdaFunctionAssociations: { Quantity: 0 },
    FunctionAssociations: { Quantity: 0 },
    FieldLevelEncryptionId: "",
    ForwardedValues: {
      QueryString: true,
      Cookies: { Forward: "whitelist", WhitelistedNames: { Quantity: 2, Items: ["session", "lang"] } },
      Headers: { Quantity: 1, Items: ["Accept-Language"] },
      QueryStringCacheKeys: { Quantity: 2, Items: ["page", "sort"] },
    },
    MinTTL: 0,
    DefaultTTL: ttl,
    MaxTTL: 31536000,
  };
}

export function fullDistributionConfig(): XmlStruct {
  return {
    CallerReference: "bench-2026-11-22",
    Aliases: { Quantity: 2, Items: ["www.example.com", "example.com"] },
    DefaultRootObject: "index.html",
    Origins: { Quantity: 2, Items: [origin("web", "web.example.com"), origin("web-b", "web-b.example.com")] },
    OriginGroups: {
      Quantity: 1,
      Items: [
        {
          Id: "web-group",
          FailoverCriteria: { StatusCodes: { Quantity: 3, Items: [500, 502, 503] } },
          Members: { Quantity: 2, Items: [{ OriginId: "web" }, { OriginId: "web-b" }] },
        },
      ],
    },
    DefaultCacheBehavior: behavior(null, "web-group", 0),
    CacheBehaviors: {
      Quantity: 3,
      Items: [behavior("/static/*", "web", 86400), behavior("/api/*", "web", 0), behavior("*.jpg", "web", 604800)],
    },
    CustomErrorResponses: {
      Quantity: 2,
      Items: [
        { ErrorCode: 404, ResponsePagePath: "/errors/404.html", ResponseCode: "404", ErrorCachingMinTTL: 60 },
        { ErrorCode: 503, ResponsePagePath: "/errors/503.html", ResponseCode: "503", ErrorCachingMinTTL: 10 },
      ],
    },
    Comment: "splitfront benchmark distribution",
    Logging: { Enabled: false, IncludeCookies: false, Bucket: "", Prefix: "" },
    PriceClass: "PriceClass_All",
    Enabled: true,
    ViewerCertificate: { CloudFrontDefaultCertificate: true, MinimumProtocolVersion: "TLSv1" },
    Restrictions: { GeoRestriction: { RestrictionType: "blacklist", Quantity: 2, Items: ["KP", "IR"] } },
    WebACLId: "",
    HttpVersion: "http2",
    IsIPV6Enabled: true,
    Staging: false,
  };
}
