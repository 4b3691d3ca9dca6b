/**
 * The CloudFront REST-XML calls the console makes, read into plain objects (model.ts): ListDistributions and
 * ListContinuousDeploymentPolicies (every page), GetDistribution (for the attached policy's id and the ETag), and
 * UpdateDistributionWithStagingConfig (promote).
 */
import { type Api, child, children, text } from "./api.js";
import type { Distribution, Policy, Traffic } from "./model.js";

const V = "/2020-05-31";

function distributionOf(el: Element, etag: string, config: Element | null): Distribution {
  // A summary carries the config's members itself; a Distribution nests them in DistributionConfig.
  const c = config ?? el;
  const policyId = text(c, "ContinuousDeploymentPolicyId");
  return {
    id: text(el, "Id"),
    domainName: text(el, "DomainName"),
    status: text(el, "Status"),
    lastModified: text(el, "LastModifiedTime"),
    etag,
    aliases: children(child(child(c, "Aliases"), "Items"), "CNAME").map((a) => a.textContent ?? ""),
    comment: text(c, "Comment"),
    enabled: text(c, "Enabled") === "true",
    staging: text(c, "Staging") === "true",
    policyId: policyId === "" ? null : policyId,
  };
}

function trafficOf(t: Element | null): Traffic {
  if (text(t, "Type") === "SingleHeader") {
    return {
      type: "SingleHeader",
      header: text(t, "SingleHeaderConfig/Header"),
      value: text(t, "SingleHeaderConfig/Value"),
    };
  }
  const sticky = child(child(t, "SingleWeightConfig"), "SessionStickinessConfig");
  return {
    type: "SingleWeight",
    weight: Number(text(t, "SingleWeightConfig/Weight")),
    stickiness:
      sticky === null
        ? null
        : { idleTTL: Number(text(sticky, "IdleTTL")), maximumTTL: Number(text(sticky, "MaximumTTL")) },
  };
}

function policyOf(p: Element): Policy {
  const c = child(p, "ContinuousDeploymentPolicyConfig");
  return {
    id: text(p, "Id"),
    lastModified: text(p, "LastModifiedTime"),
    enabled: text(c, "Enabled") === "true",
    stagingDnsNames: children(child(child(c, "StagingDistributionDnsNames"), "Items"), "DnsName").map(
      (n) => n.textContent ?? "",
    ),
    traffic: trafficOf(child(c, "TrafficConfig")),
  };
}

/** Every distribution, as summaries (no attached policy id: GetDistribution has it). */
export async function listDistributions(api: Api): Promise<Distribution[]> {
  const out: Distribution[] = [];
  let marker = "";
  for (;;) {
    const { value: list } = await api.xml("GET", `${V}/distribution?MaxItems=100&Marker=${encodeURIComponent(marker)}`);
    for (const s of children(child(list, "Items"), "DistributionSummary")) {
      out.push(distributionOf(s, text(s, "ETag"), null));
    }
    marker = text(list, "NextMarker");
    if (text(list, "IsTruncated") !== "true" || marker === "") return out;
  }
}

export async function getDistribution(api: Api, id: string): Promise<Distribution> {
  const { value, etag } = await api.xml("GET", `${V}/distribution/${encodeURIComponent(id)}`);
  if (value === null) throw new Error(`GetDistribution ${id}: empty answer`);
  return distributionOf(value, etag ?? "", child(value, "DistributionConfig"));
}

export async function listPolicies(api: Api): Promise<Policy[]> {
  const out: Policy[] = [];
  let marker = "";
  for (;;) {
    const { value: list } = await api.xml(
      "GET",
      `${V}/continuous-deployment-policy?MaxItems=100&Marker=${encodeURIComponent(marker)}`,
    );
    for (const s of children(child(list, "Items"), "ContinuousDeploymentPolicySummary")) {
      const p = child(s, "ContinuousDeploymentPolicy");
      if (p !== null) out.push(policyOf(p));
    }
    marker = text(list, "NextMarker");
    if (marker === "") return out;
  }
}

/** UpdateDistributionWithStagingConfig: If-Match is "<primary ETag>, <staging ETag>", as on CloudFront. */
export async function promote(api: Api, primary: Distribution, staging: Distribution): Promise<void> {
  await api.xml(
    "PUT",
    `${V}/distribution/${encodeURIComponent(primary.id)}/promote-staging-config?StagingDistributionId=${encodeURIComponent(staging.id)}`,
    { ifMatch: `${primary.etag}, ${staging.etag}` },
  );
}
