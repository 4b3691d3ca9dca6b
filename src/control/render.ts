/**
 * Records → response documents (reference §2 shapes): Distribution, ContinuousDeploymentPolicy and the two
 * lists. The stored config is emitted as sent (round-trip); the rest is derived here. Status is always
 * "Deployed" because publishing to KV is immediate.
 */
import type { PolicyType } from "../domain/behavior-policies/types.js";
import type { DistributionConfig } from "../domain/distribution/types.js";
import type { BehaviorPolicyRecord, DistributionRecord, PolicyRecord } from "../domain/state.js";
import type { XmlStruct } from "./xml/value.js";

/** Model-typed configs have the codec's layout by construction (see documents.ts). */
const asXml = (v: object): XmlStruct => v as XmlStruct;

/** The stored configs as response documents (GetDistributionConfig, GetContinuousDeploymentPolicyConfig). */
export const distributionConfigXml = (d: DistributionRecord): XmlStruct => asXml(d.config);
export const policyConfigXml = (p: PolicyRecord): XmlStruct => asXml(p.config);

export const distributionArn = (accountId: string, id: string): string =>
  `arn:aws:cloudfront::${accountId}:distribution/${id}`;

export function renderDistribution(d: DistributionRecord, accountId: string): XmlStruct {
  return {
    Id: d.id,
    ARN: distributionArn(accountId, d.id),
    Status: "Deployed",
    LastModifiedTime: d.lastModified,
    InProgressInvalidationBatches: 0,
    DomainName: d.domainName,
    ActiveTrustedSigners: { Enabled: false, Quantity: 0 },
    ActiveTrustedKeyGroups: { Enabled: false, Quantity: 0 },
    DistributionConfig: asXml(d.config),
  };
}

export function renderPolicy(p: PolicyRecord): XmlStruct {
  return { Id: p.id, LastModifiedTime: p.lastModified, ContinuousDeploymentPolicyConfig: asXml(p.config) };
}

/** DistributionSummary: required members CloudFront always fills get its defaults when the config omits them. */
export function renderSummary(d: DistributionRecord, accountId: string): XmlStruct {
  const c: DistributionConfig = d.config;
  return {
    Id: d.id,
    ARN: distributionArn(accountId, d.id),
    ETag: d.etag,
    Status: "Deployed",
    LastModifiedTime: d.lastModified,
    DomainName: d.domainName,
    Aliases: asXml(c.Aliases ?? { Quantity: 0 }),
    Origins: asXml(c.Origins ?? { Quantity: 0 }),
    OriginGroups: c.OriginGroups === undefined ? undefined : asXml(c.OriginGroups),
    DefaultCacheBehavior: asXml(c.DefaultCacheBehavior ?? {}),
    CacheBehaviors: asXml(c.CacheBehaviors ?? { Quantity: 0 }),
    CustomErrorResponses: asXml(c.CustomErrorResponses ?? { Quantity: 0 }),
    Comment: c.Comment ?? "",
    PriceClass: c.PriceClass ?? "PriceClass_All",
    Enabled: c.Enabled === true,
    ViewerCertificate: asXml(
      c.ViewerCertificate ?? {
        CloudFrontDefaultCertificate: true,
        SSLSupportMethod: "vip",
        MinimumProtocolVersion: "TLSv1",
        CertificateSource: "cloudfront",
      },
    ),
    Restrictions: asXml(c.Restrictions ?? { GeoRestriction: { RestrictionType: "none", Quantity: 0 } }),
    WebACLId: c.WebACLId ?? "",
    HttpVersion: c.HttpVersion ?? "http2",
    IsIPV6Enabled: c.IsIPV6Enabled ?? true,
    Staging: c.Staging === true,
  };
}

export interface Page<T> {
  items: T[];
  nextMarker: string | undefined;
}

/** Items after the one whose id is `marker` (CloudFront's Marker = id of the last item of the previous page). */
export function paginate<T extends { id: string }>(all: T[], marker: string, maxItems: number): Page<T> {
  const start = marker === "" ? 0 : all.findIndex((x) => x.id === marker) + 1;
  const items = all.slice(start, start + maxItems);
  const last = items[items.length - 1];
  const more = start + maxItems < all.length;
  return { items, nextMarker: more && last !== undefined ? last.id : undefined };
}

export function renderDistributionList(
  page: Page<DistributionRecord>,
  marker: string,
  maxItems: number,
  accountId: string,
): XmlStruct {
  return {
    Marker: marker,
    NextMarker: page.nextMarker,
    MaxItems: maxItems,
    IsTruncated: page.nextMarker !== undefined,
    Quantity: page.items.length,
    Items: page.items.map((d) => renderSummary(d, accountId)),
  };
}

/** Quantity is the account's total number of policies, not the page size (reference §2). */
export function renderPolicyList(page: Page<PolicyRecord>, total: number, maxItems: number): XmlStruct {
  return {
    NextMarker: page.nextMarker,
    MaxItems: maxItems,
    Quantity: total,
    Items: page.items.map((p) => ({ ContinuousDeploymentPolicy: renderPolicy(p) })),
  };
}

/** `<Kind>Policy` of a cache, origin request or response headers policy: Id, LastModifiedTime, `<Kind>PolicyConfig`. */
export function renderBehaviorPolicy(p: BehaviorPolicyRecord, configRoot: string): XmlStruct {
  return { Id: p.id, LastModifiedTime: p.lastModified, [configRoot]: asXml(p.config) };
}

export const behaviorPolicyConfigXml = (p: BehaviorPolicyRecord): XmlStruct => asXml(p.config);

/** `<Kind>PolicyList`: its summaries carry the policy's Type; Quantity is the number of items on this page. */
export function renderBehaviorPolicyList(
  page: Page<BehaviorPolicyRecord & { type: PolicyType }>,
  maxItems: number,
  resourceRoot: string,
  configRoot: string,
): XmlStruct {
  return {
    NextMarker: page.nextMarker,
    MaxItems: maxItems,
    Quantity: page.items.length,
    Items: page.items.map((p) => ({ Type: p.type, [resourceRoot]: renderBehaviorPolicy(p, configRoot) })),
  };
}
