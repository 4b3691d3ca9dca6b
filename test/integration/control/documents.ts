/** XML documents as AWS clients send them, for the integration tests. */
const NS = 'xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"';

export interface DistOptions {
  callerReference: string;
  port?: number;
  originPath?: string;
  comment?: string;
  enabled?: boolean;
  aliases?: string[];
  policyId?: string;
  httpVersion?: string;
  staging?: boolean;
}

export function distributionConfigXml(o: DistOptions): string {
  const aliases = o.aliases ?? [];
  return (
    `<DistributionConfig ${NS}><CallerReference>${o.callerReference}</CallerReference>` +
    `<Aliases><Quantity>${aliases.length}</Quantity>${
      aliases.length ? `<Items>${aliases.map((a) => `<CNAME>${a}</CNAME>`).join("")}</Items>` : ""
    }</Aliases>` +
    `<DefaultRootObject></DefaultRootObject>` +
    `<Origins><Quantity>1</Quantity><Items><Origin><Id>origin</Id><DomainName>127.0.0.1</DomainName>` +
    `<OriginPath>${o.originPath ?? ""}</OriginPath><CustomHeaders><Quantity>0</Quantity></CustomHeaders>` +
    `<CustomOriginConfig><HTTPPort>${o.port ?? 9001}</HTTPPort><HTTPSPort>443</HTTPSPort>` +
    `<OriginProtocolPolicy>http-only</OriginProtocolPolicy></CustomOriginConfig></Origin></Items></Origins>` +
    `<DefaultCacheBehavior><TargetOriginId>origin</TargetOriginId><ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy>` +
    `<CachePolicyId>4135ea2d-6df8-44a3-9df3-4b5a84be39ad</CachePolicyId></DefaultCacheBehavior>` +
    `<Comment>${o.comment ?? "test"}</Comment><Enabled>${o.enabled ?? true}</Enabled>` +
    (o.httpVersion ? `<HttpVersion>${o.httpVersion}</HttpVersion>` : "") +
    (o.policyId !== undefined ? `<ContinuousDeploymentPolicyId>${o.policyId}</ContinuousDeploymentPolicyId>` : "") +
    (o.staging !== undefined ? `<Staging>${o.staging}</Staging>` : "") +
    `</DistributionConfig>`
  );
}

export function weightPolicyXml(stagingDns: string, weight: number, enabled = true, sticky = true): string {
  return (
    `<ContinuousDeploymentPolicyConfig ${NS}><StagingDistributionDnsNames><Quantity>1</Quantity>` +
    `<Items><DnsName>${stagingDns}</DnsName></Items></StagingDistributionDnsNames><Enabled>${enabled}</Enabled>` +
    `<TrafficConfig><SingleWeightConfig><Weight>${weight}</Weight>` +
    (sticky
      ? "<SessionStickinessConfig><IdleTTL>300</IdleTTL><MaximumTTL>600</MaximumTTL></SessionStickinessConfig>"
      : "") +
    `</SingleWeightConfig><Type>SingleWeight</Type></TrafficConfig></ContinuousDeploymentPolicyConfig>`
  );
}

export function headerPolicyXml(stagingDns: string, header: string, value: string): string {
  return (
    `<ContinuousDeploymentPolicyConfig ${NS}><StagingDistributionDnsNames><Quantity>1</Quantity>` +
    `<Items><DnsName>${stagingDns}</DnsName></Items></StagingDistributionDnsNames><Enabled>true</Enabled>` +
    `<TrafficConfig><SingleHeaderConfig><Header>${header}</Header><Value>${value}</Value></SingleHeaderConfig>` +
    `<Type>SingleHeader</Type></TrafficConfig></ContinuousDeploymentPolicyConfig>`
  );
}
