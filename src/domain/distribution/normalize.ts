/**
 * "Parse, then normalise once": a DistributionConfig as CloudFront stores and returns it. CloudFront fills a
 * default for every member a client leaves out (an empty `{Quantity: 0}` list, `""` for ids and paths, its
 * documented numbers for timeouts and TTLs) and returns empty lists without `Items`, so GetDistributionConfig,
 * GetDistribution, ListDistributions and every write agree, and a read-modify-write round trip changes nothing.
 * The Terraform provider relies on this: it dereferences TrustedSigners, AllowedMethods, Compress, MinTTL,
 * OriginGroups and the origins' timeouts without nil checks.
 *
 * Sources: the AWS CLI's create-distribution / list-distributions example outputs, the API reference's documented
 * defaults (DefaultTTL 86400, MaxTTL 31536000, ConnectionAttempts 3, ConnectionTimeout 10, OriginReadTimeout 30,
 * OriginKeepaliveTimeout 5, Logging's "values are automatically deleted" when disabled) and the edge's own
 * defaults (error caching 10 s), which this must match. OriginSslProtocols' default is not documented; the three
 * TLS versions are what CloudFront has been seen to return [INFER].
 *
 * Pure and idempotent: normalize(normalize(c)) equals normalize(c); members it does not know are kept as sent.
 * UpdateDistribution's "an omitted ContinuousDeploymentPolicyId keeps the attachment" is decided before this runs
 * (operations.ts), since this fills the member with "".
 */
import type {
  AllowedMethods,
  CacheBehavior,
  CustomErrorResponse,
  CustomOriginConfig,
  DefaultCacheBehavior,
  DistributionConfig,
  ForwardedValues,
  LambdaFunctionAssociations,
  LoggingConfig,
  Origin,
  ViewerCertificate,
} from "@aws-sdk/client-cloudfront";

/** CloudFront's defaults for members a client left out. */
export const DISTRIBUTION_DEFAULTS = {
  priceClass: "PriceClass_All",
  httpVersion: "http2",
  isIPV6Enabled: true,
  connectionAttempts: 3,
  connectionTimeout: 10,
  originReadTimeout: 30,
  originKeepaliveTimeout: 5,
  originSslProtocols: ["TLSv1", "TLSv1.1", "TLSv1.2"],
  methods: ["HEAD", "GET"],
  minTTL: 0,
  defaultTTL: 86_400,
  maxTTL: 31_536_000,
  errorCachingMinTTL: 10,
  minimumProtocolVersion: "TLSv1",
} as const;

const D = DISTRIBUTION_DEFAULTS;

/** A `{Quantity, Items}` list as CloudFront returns it: Quantity from the items, no `Items` when empty. */
function list<T>(items: T[] | undefined): { Quantity: number; Items?: T[] } {
  return items === undefined || items.length === 0 ? { Quantity: 0 } : { Quantity: items.length, Items: items };
}

/** `o` with `defaults` filled in where `o` has no value; `o`'s own members (and their order) come first. */
function fill<T extends object>(o: T | undefined, defaults: Partial<T>): T {
  const out = { ...(o ?? {}) } as T;
  for (const [k, v] of Object.entries(defaults) as [keyof T, T[keyof T]][]) {
    if (out[k] === undefined) out[k] = v;
  }
  return out;
}

export function normalizeDistributionConfig(c: DistributionConfig): DistributionConfig {
  const out = fill(c, {
    DefaultRootObject: "",
    Comment: "",
    PriceClass: D.priceClass,
    WebACLId: "",
    HttpVersion: D.httpVersion,
    IsIPV6Enabled: D.isIPV6Enabled,
    ContinuousDeploymentPolicyId: "",
    Staging: false,
  });
  out.Aliases = list(c.Aliases?.Items);
  out.Origins = { Quantity: c.Origins?.Items?.length ?? 0, Items: (c.Origins?.Items ?? []).map(normalizeOrigin) };
  out.OriginGroups = list(c.OriginGroups?.Items);
  if (c.DefaultCacheBehavior !== undefined) out.DefaultCacheBehavior = normalizeBehavior(c.DefaultCacheBehavior);
  out.CacheBehaviors = list(c.CacheBehaviors?.Items?.map(normalizeBehavior));
  out.CustomErrorResponses = list(c.CustomErrorResponses?.Items?.map(normalizeErrorResponse));
  out.Logging = normalizeLogging(c.Logging);
  out.ViewerCertificate = normalizeViewerCertificate(c.ViewerCertificate);
  const geo = c.Restrictions?.GeoRestriction;
  out.Restrictions = { GeoRestriction: { RestrictionType: geo?.RestrictionType ?? "none", ...list(geo?.Items) } };
  return out;
}

function normalizeOrigin(o: Origin): Origin {
  const out = fill(o, {
    OriginPath: "",
    ConnectionAttempts: D.connectionAttempts,
    ConnectionTimeout: D.connectionTimeout,
    OriginShield: { Enabled: false },
    OriginAccessControlId: "",
  });
  out.CustomHeaders = list(o.CustomHeaders?.Items);
  if (o.CustomOriginConfig !== undefined) out.CustomOriginConfig = normalizeCustomOrigin(o.CustomOriginConfig);
  return out;
}

function normalizeCustomOrigin(c: CustomOriginConfig): CustomOriginConfig {
  const out = fill(c, { OriginReadTimeout: D.originReadTimeout, OriginKeepaliveTimeout: D.originKeepaliveTimeout });
  out.OriginSslProtocols = c.OriginSslProtocols ?? { Quantity: 3, Items: [...D.originSslProtocols] };
  return out;
}

function normalizeBehavior<B extends DefaultCacheBehavior | CacheBehavior>(b: B): B {
  const out = fill<DefaultCacheBehavior | CacheBehavior>(b, {
    SmoothStreaming: false,
    Compress: false,
    FieldLevelEncryptionId: "",
    MinTTL: D.minTTL,
  });
  out.TrustedSigners = signers(b.TrustedSigners);
  out.TrustedKeyGroups = signers(b.TrustedKeyGroups);
  out.AllowedMethods = normalizeMethods(b.AllowedMethods);
  out.LambdaFunctionAssociations = normalizeLambdas(b.LambdaFunctionAssociations);
  out.FunctionAssociations = list(b.FunctionAssociations?.Items);
  if (b.ForwardedValues !== undefined) out.ForwardedValues = normalizeForwarded(b.ForwardedValues);
  // The legacy TTLs only mean something without a cache policy (whose own TTLs then apply).
  // Defaults that would break MinTTL ≤ DefaultTTL ≤ MaxTTL give way to the TTLs that were sent.
  if ((b.CachePolicyId ?? "") === "") {
    const min = b.MinTTL ?? D.minTTL;
    out.MaxTTL = b.MaxTTL ?? Math.max(D.maxTTL, b.DefaultTTL ?? 0, min);
    out.DefaultTTL = b.DefaultTTL ?? Math.min(Math.max(D.defaultTTL, min), out.MaxTTL);
  }
  return out as B;
}

/** TrustedSigners / TrustedKeyGroups: `Enabled` says whether the list is in use (false when absent). */
function signers(s: { Enabled?: boolean; Items?: string[] } | undefined): {
  Enabled: boolean;
  Quantity: number;
  Items?: string[];
} {
  return { Enabled: s?.Enabled ?? (s?.Items?.length ?? 0) > 0, ...list(s?.Items) };
}

function normalizeMethods(m: AllowedMethods | undefined): AllowedMethods {
  const items = m?.Items ?? [...D.methods];
  const cached = m?.CachedMethods?.Items ?? [...D.methods];
  return {
    Quantity: items.length,
    Items: items,
    CachedMethods: { Quantity: cached.length, Items: cached },
  };
}

function normalizeLambdas(l: LambdaFunctionAssociations | undefined): LambdaFunctionAssociations {
  return list(l?.Items?.map((a) => fill(a, { IncludeBody: false })));
}

function normalizeForwarded(f: ForwardedValues): ForwardedValues {
  const out: ForwardedValues = { ...f };
  out.Headers = list(f.Headers?.Items);
  out.QueryStringCacheKeys = list(f.QueryStringCacheKeys?.Items);
  if (f.Cookies?.WhitelistedNames !== undefined) {
    out.Cookies = { ...f.Cookies, WhitelistedNames: list(f.Cookies.WhitelistedNames.Items) };
  }
  return out;
}

function normalizeErrorResponse(e: CustomErrorResponse): CustomErrorResponse {
  return fill(e, { ResponsePagePath: "", ResponseCode: "", ErrorCachingMinTTL: D.errorCachingMinTTL });
}

function normalizeLogging(l: LoggingConfig | undefined): LoggingConfig {
  // "If you specify false for Enabled but you specify values for Bucket and Prefix, the values are automatically
  // deleted." (API reference, LoggingConfig)
  if (l?.Enabled !== true)
    return { Enabled: false, IncludeCookies: l?.IncludeCookies ?? false, Bucket: "", Prefix: "" };
  return fill(l, { IncludeCookies: false, Bucket: "", Prefix: "" });
}

function normalizeViewerCertificate(v: ViewerCertificate | undefined): ViewerCertificate {
  if (v?.ACMCertificateArn !== undefined && v.ACMCertificateArn !== "") {
    return fill(v, {
      CloudFrontDefaultCertificate: false,
      MinimumProtocolVersion: D.minimumProtocolVersion,
      Certificate: v.ACMCertificateArn,
      CertificateSource: "acm",
    });
  }
  if (v?.IAMCertificateId !== undefined && v.IAMCertificateId !== "") {
    return fill(v, {
      CloudFrontDefaultCertificate: false,
      MinimumProtocolVersion: D.minimumProtocolVersion,
      Certificate: v.IAMCertificateId,
      CertificateSource: "iam",
    });
  }
  // "If you specify true for CloudFrontDefaultCertificate, CloudFront automatically sets the security policy to
  // TLSv1 regardless of the value that you specify for MinimumProtocolVersion." (API reference, ViewerCertificate)
  return {
    ...fill(v, { CloudFrontDefaultCertificate: true, SSLSupportMethod: "vip", CertificateSource: "cloudfront" }),
    MinimumProtocolVersion: D.minimumProtocolVersion,
  };
}
