/**
 * The validation table's rows: one per rule, an edit of the rich config (rich-config.ts) and what CloudFront
 * answers ("Code status"), or "accepted" for the edges CloudFront allows. `sdk` marks the rows the end-to-end test
 * also sends through the AWS SDK.
 */
import type {
  CacheBehavior,
  CustomOriginConfig,
  DefaultCacheBehavior,
  DistributionConfig,
  Origin,
  OriginGroup,
} from "@aws-sdk/client-cloudfront";

export type Edit = (c: DistributionConfig) => void;

export interface Row {
  rule: string;
  edit: Edit;
  expect: string;
  sdk?: true;
}

const must = <T>(v: T | undefined, what: string): T => {
  if (v === undefined) throw new Error(`rich config has no ${what}`);
  return v;
};
const web = (c: DistributionConfig): Origin => must(c.Origins?.Items?.[0], "web origin");
const bucket = (c: DistributionConfig): Origin => must(c.Origins?.Items?.[1], "bucket origin");
const custom = (c: DistributionConfig): CustomOriginConfig => must(web(c).CustomOriginConfig, "custom config");
const group = (c: DistributionConfig): OriginGroup => must(c.OriginGroups?.Items?.[0], "origin group");
const def = (c: DistributionConfig): DefaultCacheBehavior => must(c.DefaultCacheBehavior, "default behaviour");
const legacy = (c: DistributionConfig): CacheBehavior => must(c.CacheBehaviors?.Items?.[0], "legacy behaviour");
const headers = (c: DistributionConfig, items: { HeaderName: string; HeaderValue: string }[]) => {
  web(c).CustomHeaders = { Quantity: items.length, Items: items };
};
const header = (name: string, value = "v") => ({ HeaderName: name, HeaderValue: value });
const errorResponse = (c: DistributionConfig, e: NonNullable<DistributionConfig["CustomErrorResponses"]>["Items"]) => {
  c.CustomErrorResponses = { Quantity: e?.length ?? 0, Items: e };
};
const geo = (c: DistributionConfig, type: "whitelist" | "blacklist" | "none", items: string[]) => {
  c.Restrictions = { GeoRestriction: { RestrictionType: type, Quantity: items.length, Items: items } };
};
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

export const VALIDATION_ROWS: Row[] = [
  // Distribution-wide members.
  { rule: "CallerReference empty", edit: (c) => (c.CallerReference = ""), expect: "InvalidArgument 400" },
  {
    rule: "Comment of 129 characters",
    edit: (c) => (c.Comment = "c".repeat(129)),
    expect: "InvalidArgument 400",
    sdk: true,
  },
  { rule: "Comment of 128 characters", edit: (c) => (c.Comment = "é".repeat(128)), expect: "accepted" },
  {
    rule: "DefaultRootObject with a space",
    edit: (c) => (c.DefaultRootObject = "index page.html"),
    expect: "InvalidDefaultRootObject 400",
    sdk: true,
  },
  {
    rule: "DefaultRootObject beginning with /",
    edit: (c) => (c.DefaultRootObject = "/index.html"),
    expect: "InvalidDefaultRootObject 400",
  },
  {
    rule: "DefaultRootObject of 256 characters",
    edit: (c) => (c.DefaultRootObject = "a".repeat(256)),
    expect: "InvalidDefaultRootObject 400",
  },
  {
    rule: "Aliases: not a domain name",
    edit: (c) => (c.Aliases = { Quantity: 1, Items: ["bad name.example"] }),
    expect: "InvalidArgument 400",
  },
  {
    rule: "Aliases: 101",
    edit: (c) => (c.Aliases = { Quantity: 101, Items: range(101).map((i) => `a${i}.example.test`) }),
    expect: "TooManyDistributionCNAMEs 400",
    sdk: true,
  },
  {
    rule: "Aliases: a wildcard",
    edit: (c) => (c.Aliases = { Quantity: 1, Items: ["*.wild.example.test"] }),
    expect: "accepted",
  },
  // Origins.
  { rule: "Origins: none", edit: (c) => (c.Origins = { Quantity: 0, Items: [] }), expect: "InvalidArgument 400" },
  {
    rule: "Origins: 101",
    edit: (c) => {
      const items = range(101).map((i) => ({ ...web(c), Id: `o${i}` }));
      c.Origins = { Quantity: items.length, Items: items };
      def(c).TargetOriginId = "o0";
      c.OriginGroups = { Quantity: 0 };
      legacy(c).TargetOriginId = "o1";
    },
    expect: "TooManyOrigins 400",
  },
  { rule: "Origin Id repeated", edit: (c) => (bucket(c).Id = "web"), expect: "InvalidArgument 400" },
  { rule: "DomainName empty", edit: (c) => (web(c).DomainName = ""), expect: "InvalidArgument 400", sdk: true },
  { rule: "DomainName with a space", edit: (c) => (web(c).DomainName = "a b"), expect: "InvalidArgument 400" },
  { rule: "DomainName with a port", edit: (c) => (web(c).DomainName = "a.example:80"), expect: "InvalidArgument 400" },
  { rule: "DomainName a host name", edit: (c) => (web(c).DomainName = "Origin-1.Example.com"), expect: "accepted" },
  {
    rule: "S3 origin on a website endpoint",
    edit: (c) => (bucket(c).DomainName = "assets.s3-website-us-east-1.amazonaws.com"),
    expect: "InvalidArgument 400",
    sdk: true,
  },
  { rule: "S3 origin on any host", edit: (c) => (bucket(c).DomainName = "example.com"), expect: "InvalidArgument 400" },
  {
    rule: "S3 origin on the legacy regional endpoint",
    edit: (c) => (bucket(c).DomainName = "assets.s3-eu-west-1.amazonaws.com"),
    expect: "accepted",
  },
  {
    rule: "S3 and custom config on one origin",
    edit: (c) => (web(c).S3OriginConfig = { OriginAccessIdentity: "" }),
    expect: "InvalidOrigin 400",
  },
  {
    rule: "OAI of the wrong form",
    edit: (c) => (bucket(c).S3OriginConfig = { OriginAccessIdentity: "E123" }),
    expect: "InvalidOriginAccessIdentity 400",
  },
  {
    rule: "OAI and OAC together",
    edit: (c) => {
      bucket(c).S3OriginConfig = { OriginAccessIdentity: "origin-access-identity/cloudfront/E2QWRUHAPOMQZL" };
      bucket(c).OriginAccessControlId = "E1OAC";
    },
    expect: "IllegalOriginAccessConfiguration 400",
  },
  { rule: "OriginPath ending in /", edit: (c) => (web(c).OriginPath = "/site/"), expect: "InvalidArgument 400" },
  { rule: "OriginPath without /", edit: (c) => (web(c).OriginPath = "site"), expect: "InvalidArgument 400" },
  { rule: "OriginPath with a space", edit: (c) => (web(c).OriginPath = "/a b"), expect: "InvalidArgument 400" },
  { rule: "HTTPPort 70000", edit: (c) => (custom(c).HTTPPort = 70000), expect: "InvalidArgument 400", sdk: true },
  { rule: "HTTPPort 0", edit: (c) => (custom(c).HTTPPort = 0), expect: "InvalidArgument 400" },
  { rule: "HTTPPort 1023", edit: (c) => (custom(c).HTTPPort = 1023), expect: "InvalidArgument 400" },
  { rule: "HTTPPort 80", edit: (c) => (custom(c).HTTPPort = 80), expect: "accepted" },
  { rule: "HTTPPort 65535", edit: (c) => (custom(c).HTTPPort = 65535), expect: "accepted" },
  { rule: "HTTPSPort 22", edit: (c) => (custom(c).HTTPSPort = 22), expect: "InvalidArgument 400" },
  { rule: "HTTPSPort 1024", edit: (c) => (custom(c).HTTPSPort = 1024), expect: "accepted" },
  { rule: "ConnectionAttempts 0", edit: (c) => (web(c).ConnectionAttempts = 0), expect: "InvalidArgument 400" },
  {
    rule: "ConnectionAttempts 1000000",
    edit: (c) => (web(c).ConnectionAttempts = 1_000_000),
    expect: "InvalidArgument 400",
    sdk: true,
  },
  { rule: "ConnectionAttempts 1", edit: (c) => (web(c).ConnectionAttempts = 1), expect: "accepted" },
  { rule: "ConnectionTimeout 11", edit: (c) => (web(c).ConnectionTimeout = 11), expect: "InvalidArgument 400" },
  { rule: "ConnectionTimeout 0", edit: (c) => (web(c).ConnectionTimeout = 0), expect: "InvalidArgument 400" },
  {
    rule: "OriginReadTimeout 0",
    edit: (c) => (custom(c).OriginReadTimeout = 0),
    expect: "InvalidOriginReadTimeout 400",
    sdk: true,
  },
  {
    rule: "OriginReadTimeout -5",
    edit: (c) => (custom(c).OriginReadTimeout = -5),
    expect: "InvalidOriginReadTimeout 400",
  },
  {
    rule: "OriginReadTimeout 181",
    edit: (c) => (custom(c).OriginReadTimeout = 181),
    expect: "InvalidOriginReadTimeout 400",
  },
  { rule: "OriginReadTimeout 180", edit: (c) => (custom(c).OriginReadTimeout = 180), expect: "accepted" },
  {
    rule: "OriginKeepaliveTimeout 0",
    edit: (c) => (custom(c).OriginKeepaliveTimeout = 0),
    expect: "InvalidOriginKeepaliveTimeout 400",
    sdk: true,
  },
  {
    rule: "OriginKeepaliveTimeout 181",
    edit: (c) => (custom(c).OriginKeepaliveTimeout = 181),
    expect: "InvalidOriginKeepaliveTimeout 400",
  },
  {
    rule: "ResponseCompletionTimeout below the read timeout",
    edit: (c) => (web(c).ResponseCompletionTimeout = 10),
    expect: "InvalidArgument 400",
  },
  {
    rule: "OriginSslProtocols repeated",
    edit: (c) => (custom(c).OriginSslProtocols = { Quantity: 2, Items: ["TLSv1.2", "TLSv1.2"] }),
    expect: "InvalidArgument 400",
  },
  {
    rule: "Origin Shield without a region",
    edit: (c) => (web(c).OriginShield = { Enabled: true }),
    expect: "InvalidArgument 400",
  },
  // Custom headers.
  {
    rule: "custom header name not a token",
    edit: (c) => headers(c, [header("bad name")]),
    expect: "InvalidArgument 400",
    sdk: true,
  },
  { rule: "custom header Host", edit: (c) => headers(c, [header("Host")]), expect: "InvalidArgument 400" },
  {
    rule: "custom header X-Amz-Date",
    edit: (c) => headers(c, [header("X-Amz-Date")]),
    expect: "InvalidArgument 400",
    sdk: true,
  },
  { rule: "custom header X-Edge-Foo", edit: (c) => headers(c, [header("X-Edge-Foo")]), expect: "InvalidArgument 400" },
  {
    rule: "custom header Transfer-Encoding",
    edit: (c) => headers(c, [header("Transfer-Encoding")]),
    expect: "InvalidArgument 400",
  },
  {
    rule: "custom header repeated",
    edit: (c) => headers(c, [header("x-a"), header("X-A")]),
    expect: "InvalidArgument 400",
  },
  {
    rule: "custom header value with CR LF",
    edit: (c) => headers(c, [header("x-a", "v\r\nx-injected: 1")]),
    expect: "InvalidArgument 400",
  },
  {
    rule: "custom header value of 1784 characters",
    edit: (c) => headers(c, [header("x-a", "v".repeat(1784))]),
    expect: "InvalidArgument 400",
  },
  {
    rule: "custom header name of 257 characters",
    edit: (c) => headers(c, [header("x".repeat(257))]),
    expect: "InvalidArgument 400",
  },
  {
    rule: "custom headers over 10,240 characters in all",
    edit: (c) =>
      headers(
        c,
        range(7).map((i) => header(`x-${i}`, "v".repeat(1600))),
      ),
    expect: "InvalidArgument 400",
  },
  {
    rule: "31 custom headers",
    edit: (c) =>
      headers(
        c,
        range(31).map((i) => header(`x-${i}`)),
      ),
    expect: "TooManyOriginCustomHeaders 400",
    sdk: true,
  },
  {
    rule: "30 custom headers",
    edit: (c) =>
      headers(
        c,
        range(30).map((i) => header(`x-${i}`)),
      ),
    expect: "accepted",
  },
  // Origin groups.
  {
    rule: "origin group member not an origin",
    edit: (c) => (group(c).Members = { Quantity: 2, Items: [{ OriginId: "web" }, { OriginId: "nowhere" }] }),
    expect: "NoSuchOrigin 404",
  },
  {
    rule: "origin group with one member twice",
    edit: (c) => (group(c).Members = { Quantity: 2, Items: [{ OriginId: "web" }, { OriginId: "web" }] }),
    expect: "InvalidArgument 400",
  },
  {
    rule: "failover on 501",
    edit: (c) => (group(c).FailoverCriteria = { StatusCodes: { Quantity: 1, Items: [501] } }),
    expect: "InvalidArgument 400",
  },
  {
    rule: "11 origin groups",
    edit: (c) => {
      const items = range(11).map((i) => ({ ...group(c), Id: `g${i}` }));
      c.OriginGroups = { Quantity: items.length, Items: items };
      def(c).TargetOriginId = "g0";
    },
    expect: "TooManyOriginGroupsPerDistribution 400",
  },
  // Behaviours.
  {
    rule: "TargetOriginId naming no origin",
    edit: (c) => (def(c).TargetOriginId = "nowhere"),
    expect: "NoSuchOrigin 404",
    sdk: true,
  },
  {
    rule: "unknown cache policy",
    edit: (c) => (def(c).CachePolicyId = "00000000-0000-0000-0000-000000000000"),
    expect: "NoSuchCachePolicy 404",
  },
  {
    rule: "cache policy and ForwardedValues",
    edit: (c) => (def(c).ForwardedValues = { QueryString: false, Cookies: { Forward: "none" } }),
    expect: "InvalidArgument 400",
  },
  {
    rule: "neither cache policy nor ForwardedValues",
    edit: (c) => delete legacy(c).ForwardedValues,
    expect: "InvalidArgument 400",
  },
  { rule: "ForwardedValues without MinTTL", edit: (c) => delete legacy(c).MinTTL, expect: "InvalidArgument 400" },
  {
    rule: "MinTTL above DefaultTTL",
    edit: (c) => (legacy(c).MinTTL = 7200),
    expect: "InvalidTTLOrder 400",
    sdk: true,
  },
  { rule: "DefaultTTL above MaxTTL", edit: (c) => (legacy(c).DefaultTTL = 90000), expect: "InvalidTTLOrder 400" },
  { rule: "MinTTL negative", edit: (c) => (legacy(c).MinTTL = -1), expect: "InvalidArgument 400" },
  {
    rule: "MinTTL = DefaultTTL = MaxTTL",
    edit: (c) => Object.assign(legacy(c), { MinTTL: 60, DefaultTTL: 60, MaxTTL: 60 }),
    expect: "accepted",
  },
  {
    rule: "PathPattern with a space",
    edit: (c) => (legacy(c).PathPattern = "/a b/*"),
    expect: "InvalidArgument 400",
  },
  {
    rule: "PathPattern of 256 characters",
    edit: (c) => (legacy(c).PathPattern = `/${"a".repeat(255)}`),
    expect: "InvalidArgument 400",
  },
  {
    rule: "PathPattern with every allowed character",
    edit: (c) => (legacy(c).PathPattern = "/a-Z_0.9*$~\"'@:+&?/x"),
    expect: "accepted",
  },
  {
    rule: "76 cache behaviours",
    edit: (c) => {
      const items = range(76).map((i) => ({ ...legacy(c), PathPattern: `/p${i}/*` }));
      c.CacheBehaviors = { Quantity: items.length, Items: items };
    },
    expect: "TooManyCacheBehaviors 400",
  },
  {
    rule: "AllowedMethods GET, POST",
    edit: (c) => (def(c).AllowedMethods = { Quantity: 2, Items: ["GET", "POST"] }),
    expect: "InvalidArgument 400",
  },
  {
    rule: "CachedMethods not among AllowedMethods",
    edit: (c) =>
      (def(c).AllowedMethods = {
        Quantity: 2,
        Items: ["GET", "HEAD"],
        CachedMethods: { Quantity: 3, Items: ["GET", "HEAD", "OPTIONS"] },
      }),
    expect: "InvalidArgument 400",
  },
  {
    rule: "all seven methods, OPTIONS cached",
    edit: (c) =>
      (def(c).AllowedMethods = {
        Quantity: 7,
        Items: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
        CachedMethods: { Quantity: 3, Items: ["GET", "HEAD", "OPTIONS"] },
      }),
    expect: "accepted",
  },
  {
    rule: "whitelist cookies without names",
    edit: (c) => (must(legacy(c).ForwardedValues, "fv").Cookies = { Forward: "whitelist" }),
    expect: "InvalidForwardCookies 400",
  },
  {
    rule: "11 forwarded headers",
    edit: (c) =>
      (must(legacy(c).ForwardedValues, "fv").Headers = { Quantity: 11, Items: range(11).map((i) => `x-${i}`) }),
    expect: "TooManyHeadersInForwardedValues 400",
  },
  {
    rule: "11 whitelisted cookies",
    edit: (c) =>
      (must(legacy(c).ForwardedValues, "fv").Cookies = {
        Forward: "whitelist",
        WhitelistedNames: { Quantity: 11, Items: range(11).map((i) => `c${i}`) },
      }),
    expect: "TooManyCookieNamesInWhiteList 400",
  },
  {
    rule: "11 query string cache keys",
    edit: (c) =>
      (must(legacy(c).ForwardedValues, "fv").QueryStringCacheKeys = {
        Quantity: 11,
        Items: range(11).map((i) => `q${i}`),
      }),
    expect: "TooManyQueryStringParameters 400",
  },
  {
    rule: "Lambda@Edge on $LATEST",
    edit: (c) =>
      (def(c).LambdaFunctionAssociations = {
        Quantity: 1,
        Items: [
          {
            LambdaFunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST",
            EventType: "viewer-request",
          },
        ],
      }),
    expect: "InvalidLambdaFunctionAssociation 400",
  },
  {
    rule: "CloudFront function on origin-request",
    edit: (c) =>
      (def(c).FunctionAssociations = {
        Quantity: 1,
        Items: [{ FunctionARN: "arn:aws:cloudfront::123456789012:function/f", EventType: "origin-request" }],
      }),
    expect: "InvalidFunctionAssociation 400",
  },
  {
    rule: "trusted key groups (signed URLs)",
    edit: (c) => (def(c).TrustedKeyGroups = { Enabled: true, Quantity: 1, Items: ["kg-1"] }),
    expect: "TrustedKeyGroupDoesNotExist 400",
  },
  {
    rule: "trusted signers (signed URLs)",
    edit: (c) => (def(c).TrustedSigners = { Enabled: true, Quantity: 1, Items: ["self"] }),
    expect: "TrustedSignerDoesNotExist 400",
  },
  {
    rule: "field-level encryption",
    edit: (c) => (def(c).FieldLevelEncryptionId = "fle-1"),
    expect: "NoSuchFieldLevelEncryptionConfig 404",
  },
  // Custom error responses.
  {
    rule: "ErrorCode 410",
    edit: (c) => errorResponse(c, [{ ErrorCode: 410 }]),
    expect: "InvalidErrorCode 400",
    sdk: true,
  },
  {
    rule: "ErrorCode twice",
    edit: (c) => errorResponse(c, [{ ErrorCode: 404 }, { ErrorCode: 404 }]),
    expect: "InvalidArgument 400",
  },
  {
    rule: "ResponseCode 302",
    edit: (c) => errorResponse(c, [{ ErrorCode: 404, ResponsePagePath: "/e.html", ResponseCode: "302" }]),
    expect: "InvalidResponseCode 400",
  },
  {
    rule: "ResponseCode without ResponsePagePath",
    edit: (c) => errorResponse(c, [{ ErrorCode: 404, ResponseCode: "200" }]),
    expect: "InvalidArgument 400",
  },
  {
    rule: "ResponsePagePath without /",
    edit: (c) => errorResponse(c, [{ ErrorCode: 404, ResponsePagePath: "e.html", ResponseCode: "200" }]),
    expect: "InvalidRelativePath 400",
  },
  {
    rule: "ErrorCachingMinTTL negative",
    edit: (c) => errorResponse(c, [{ ErrorCode: 503, ErrorCachingMinTTL: -1 }]),
    expect: "InvalidArgument 400",
  },
  {
    rule: "ErrorCode 503 with empty page and code",
    edit: (c) => errorResponse(c, [{ ErrorCode: 503, ResponsePagePath: "", ResponseCode: "", ErrorCachingMinTTL: 0 }]),
    expect: "accepted",
  },
  // Logging, certificate, restrictions, WAF.
  {
    rule: "Logging enabled without a bucket",
    edit: (c) => (c.Logging = { Enabled: true, IncludeCookies: false, Bucket: "", Prefix: "" }),
    expect: "InvalidArgument 400",
  },
  {
    rule: "Logging disabled, bucket empty",
    edit: (c) => (c.Logging = { Enabled: false, IncludeCookies: false, Bucket: "", Prefix: "" }),
    expect: "accepted",
  },
  {
    rule: "default certificate and an ACM certificate",
    edit: (c) =>
      (c.ViewerCertificate = {
        CloudFrontDefaultCertificate: true,
        ACMCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc",
      }),
    expect: "InvalidViewerCertificate 400",
  },
  {
    rule: "ACM certificate outside us-east-1",
    edit: (c) =>
      (c.ViewerCertificate = {
        ACMCertificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc",
        SSLSupportMethod: "sni-only",
        MinimumProtocolVersion: "TLSv1.2_2021",
      }),
    expect: "InvalidViewerCertificate 400",
  },
  {
    rule: "SNI with SSLv3",
    edit: (c) =>
      (c.ViewerCertificate = {
        ACMCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc",
        SSLSupportMethod: "sni-only",
        MinimumProtocolVersion: "SSLv3",
      }),
    expect: "InvalidProtocolSettings 400",
  },
  {
    rule: "vip with TLSv1.2_2021",
    edit: (c) =>
      (c.ViewerCertificate = {
        ACMCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc",
        SSLSupportMethod: "vip",
        MinimumProtocolVersion: "TLSv1.2_2021",
      }),
    expect: "InvalidMinimumProtocolVersion 400",
  },
  {
    rule: "SNI with TLSv1.2_2021 and an ACM certificate",
    edit: (c) =>
      (c.ViewerCertificate = {
        ACMCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc",
        SSLSupportMethod: "sni-only",
        MinimumProtocolVersion: "TLSv1.2_2021",
      }),
    expect: "accepted",
  },
  {
    rule: "geo restriction country XX",
    edit: (c) => geo(c, "blacklist", ["XX"]),
    expect: "InvalidLocationCode 400",
    sdk: true,
  },
  {
    rule: "geo whitelist without countries",
    edit: (c) => geo(c, "whitelist", []),
    expect: "InvalidGeoRestrictionParameter 400",
  },
  {
    rule: "geo none with countries",
    edit: (c) => geo(c, "none", ["US"]),
    expect: "InvalidGeoRestrictionParameter 400",
  },
  { rule: "WebACLId not an ACL", edit: (c) => (c.WebACLId = "my-acl"), expect: "InvalidWebACLId 400" },
  {
    rule: "WebACLId a WAFv2 ARN",
    edit: (c) =>
      (c.WebACLId =
        "arn:aws:wafv2:us-east-1:123456789012:global/webacl/ExampleWebACL/a1b2c3d4-5678-90ab-cdef-0123456789ab"),
    expect: "accepted",
  },
  // Staging.
  {
    rule: "staging with aliases",
    edit: (c) => (c.Staging = true),
    expect: "InvalidArgument 400",
  },
];
