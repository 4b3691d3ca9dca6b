/**
 * Records → response documents (reference §2 shapes): Distribution, ContinuousDeploymentPolicy, the two lists and
 * tags. Stored distribution configs are already normalised (src/domain/distribution/normalize.ts), so Get,
 * GetConfig, List and every write show the same members; Status comes with the record from the ControlPlane.
 */
import type { PolicyType } from "../domain/behavior-policies/types.js";
import type { DistributionView } from "../domain/distribution/status.js";
import type { DistributionConfig } from "../domain/distribution/types.js";
import type { BehaviorPolicyRecord, DistributionRecord, PolicyRecord } from "../domain/state.js";
import type { Tag } from "../domain/tags.js";
import type { XmlStruct } from "./xml/value.js";

/** Model-typed configs have the codec's layout by construction (see documents.ts). */
const asXml = (v: object): XmlStruct => v as XmlStruct;

/** The stored configs as response documents (GetDistributionConfig, GetContinuousDeploymentPolicyConfig). */
export const distributionConfigXml = (d: DistributionRecord): XmlStruct => asXml(d.config);
export const policyConfigXml = (p: PolicyRecord): XmlStruct => asXml(p.config);

export const distributionArn = (accountId: string, id: string): string =>
  `arn:aws:cloudfront::${accountId}:distribution/${id}`;

export function renderDistribution(d: DistributionView, accountId: string): XmlStruct {
  return {
    Id: d.id,
    ARN: distributionArn(accountId, d.id),
    Status: d.status,
    LastModifiedTime: d.lastModified,
    InProgressInvalidationBatches: 0,
    DomainName: d.domainName,
    ActiveTrustedSigners: { Enabled: false, Quantity: 0 },
    ActiveTrustedKeyGroups: { Enabled: false, Quantity: 0 },
    DistributionConfig: asXml(d.config),
  };
}

/** ListTagsForResource's Tags. */
export const renderTags = (tags: Tag[]): XmlStruct => ({ Items: tags.map((t) => asXml(t)) });

export function renderPolicy(p: PolicyRecord): XmlStruct {
  return { Id: p.id, LastModifiedTime: p.lastModified, ContinuousDeploymentPolicyConfig: asXml(p.config) };
}

/** DistributionSummary: the normalised config's members that the summary carries. */
export function renderSummary(d: DistributionView, accountId: string): XmlStruct {
  const c: DistributionConfig = d.config;
  return {
    Id: d.id,
    ARN: distributionArn(accountId, d.id),
    ETag: d.etag,
    Status: d.status,
    LastModifiedTime: d.lastModified,
    DomainName: d.domainName,
    Aliases: asXml(c.Aliases ?? { Quantity: 0 }),
    Origins: asXml(c.Origins ?? { Quantity: 0 }),
    OriginGroups: asXml(c.OriginGroups ?? { Quantity: 0 }),
    DefaultCacheBehavior: asXml(c.DefaultCacheBehavior ?? {}),
    CacheBehaviors: asXml(c.CacheBehaviors ?? { Quantity: 0 }),
    CustomErrorResponses: asXml(c.CustomErrorResponses ?? { Quantity: 0 }),
    Comment: c.Comment ?? "",
    PriceClass: c.PriceClass,
    Enabled: c.Enabled === true,
    ViewerCertificate: asXml(c.ViewerCertificate ?? {}),
    Restrictions: asXml(c.Restrictions ?? {}),
    WebACLId: c.WebACLId ?? "",
    HttpVersion: c.HttpVersion,
    IsIPV6Enabled: c.IsIPV6Enabled,
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
  page: Page<DistributionView>,
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
    // An empty list has no Items, as CloudFront's.
    Items: page.items.length === 0 ? undefined : page.items.map((d) => renderSummary(d, accountId)),
  };
}

/** Quantity is the account's total number of policies, not the page size (reference §2). */
export function renderPolicyList(page: Page<PolicyRecord>, total: number, maxItems: number): XmlStruct {
  return {
    NextMarker: page.nextMarker,
    MaxItems: maxItems,
    Quantity: total,
    Items:
      page.items.length === 0 ? undefined : page.items.map((p) => ({ ContinuousDeploymentPolicy: renderPolicy(p) })),
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
