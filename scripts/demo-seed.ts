/**
 * Seeds the `npm start` demo through splitfront's CloudFront API with the real AWS SDK, exactly as an operator
 * would: two primaries (localhost: a 10 % sticky weight policy; header.localhost: a header policy), each copied to
 * a staging distribution that points at the staging origin, a policy per pair, attached by UpdateDistribution.
 * Idempotent: distributions are found again by CallerReference, so a restart reuses the persisted state, and
 * ones found again are pointed at this run's origin ports (DEMO_*_PORT may have changed since they were made).
 */
import {
  type CloudFrontClient,
  type ContinuousDeploymentPolicyConfig,
  CopyDistributionCommand,
  CreateContinuousDeploymentPolicyCommand,
  CreateDistributionCommand,
  type DistributionConfig,
  GetDistributionConfigCommand,
  ListContinuousDeploymentPoliciesCommand,
  ListDistributionsCommand,
  UpdateDistributionCommand,
} from "@aws-sdk/client-cloudfront";

/** AWS's managed cache policy "CachingDisabled": the demo shows routing, not caching. */
const CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";

export interface DemoPair {
  host: string;
  primaryId: string;
  stagingId: string;
  stagingDomain: string;
  policyId: string;
}

function primaryConfig(ref: string, alias: string, originPort: number): DistributionConfig {
  return {
    CallerReference: ref,
    Aliases: { Quantity: 1, Items: [alias] },
    Origins: {
      Quantity: 1,
      Items: [
        {
          Id: "demo-origin",
          DomainName: "127.0.0.1",
          CustomOriginConfig: {
            HTTPPort: originPort,
            HTTPSPort: 443,
            OriginProtocolPolicy: "http-only",
            OriginReadTimeout: 10,
            OriginKeepaliveTimeout: 5,
          },
        },
      ],
    },
    DefaultCacheBehavior: {
      TargetOriginId: "demo-origin",
      ViewerProtocolPolicy: "allow-all",
      CachePolicyId: CACHING_DISABLED,
    },
    Comment: `splitfront demo: ${alias}`,
    // So the terminal shows an access-log record per request (ACCESS_LOG=distribution follows this).
    Logging: { Enabled: true, IncludeCookies: false, Bucket: "splitfront-demo-logs.s3.amazonaws.com", Prefix: "demo/" },
    Enabled: true,
  };
}

async function findDistribution(cf: CloudFrontClient, ref: string): Promise<string | undefined> {
  const list = await cf.send(new ListDistributionsCommand({ MaxItems: 100 }));
  for (const item of list.DistributionList?.Items ?? []) {
    if (item.Id === undefined) continue;
    const got = await cf.send(new GetDistributionConfigCommand({ Id: item.Id }));
    if (got.DistributionConfig?.CallerReference === ref) return item.Id;
  }
  return undefined;
}

async function ensurePair(
  cf: CloudFrontClient,
  name: string,
  host: string,
  ports: { primary: number; staging: number },
  traffic: ContinuousDeploymentPolicyConfig["TrafficConfig"],
): Promise<DemoPair> {
  const primaryRef = `splitfront-demo-${name}-primary`;
  const stagingRef = `splitfront-demo-${name}-staging`;
  let primaryId = await findDistribution(cf, primaryRef);
  if (primaryId === undefined) {
    const created = await cf.send(
      new CreateDistributionCommand({ DistributionConfig: primaryConfig(primaryRef, host, ports.primary) }),
    );
    primaryId = created.Distribution?.Id ?? "";
  } else await pointOriginAt(cf, primaryId, ports.primary);

  let stagingId = await findDistribution(cf, stagingRef);
  if (stagingId !== undefined) await pointOriginAt(cf, stagingId, ports.staging);
  else {
    const primary = await cf.send(new GetDistributionConfigCommand({ Id: primaryId }));
    const copied = await cf.send(
      new CopyDistributionCommand({
        PrimaryDistributionId: primaryId,
        Staging: true,
        IfMatch: primary.ETag,
        CallerReference: stagingRef,
        Enabled: true,
      }),
    );
    stagingId = copied.Distribution?.Id ?? "";
    // The candidate configuration: staging forwards to the staging origin.
    const staging = await cf.send(new GetDistributionConfigCommand({ Id: stagingId }));
    const config = staging.DistributionConfig;
    const origin = config?.Origins?.Items?.[0];
    if (config === undefined || origin?.CustomOriginConfig === undefined) throw new Error("copied config is empty");
    origin.CustomOriginConfig.HTTPPort = ports.staging;
    config.Comment = `splitfront demo: ${host} (staging)`;
    await cf.send(new UpdateDistributionCommand({ Id: stagingId, IfMatch: staging.ETag, DistributionConfig: config }));
  }

  const stagingDomain = (await findDomain(cf, stagingId)) ?? "";

  const primary = await cf.send(new GetDistributionConfigCommand({ Id: primaryId }));
  let policyId = primary.DistributionConfig?.ContinuousDeploymentPolicyId ?? "";
  if (policyId === "") {
    policyId = (await findPolicy(cf, stagingDomain)) ?? "";
    if (policyId === "") {
      const created = await cf.send(
        new CreateContinuousDeploymentPolicyCommand({
          ContinuousDeploymentPolicyConfig: {
            StagingDistributionDnsNames: { Quantity: 1, Items: [stagingDomain] },
            Enabled: true,
            TrafficConfig: traffic,
          },
        }),
      );
      policyId = created.ContinuousDeploymentPolicy?.Id ?? "";
    }
    const config = primary.DistributionConfig;
    if (config === undefined) throw new Error(`no config for ${primaryId}`);
    config.ContinuousDeploymentPolicyId = policyId;
    await cf.send(new UpdateDistributionCommand({ Id: primaryId, IfMatch: primary.ETag, DistributionConfig: config }));
  }
  return { host, primaryId, stagingId, stagingDomain, policyId };
}

/** Points a demo distribution's origin at `port`, when an earlier run made it with another. */
async function pointOriginAt(cf: CloudFrontClient, id: string, port: number): Promise<void> {
  const got = await cf.send(new GetDistributionConfigCommand({ Id: id }));
  const config = got.DistributionConfig;
  const origin = config?.Origins?.Items?.[0]?.CustomOriginConfig;
  if (config === undefined || origin === undefined || origin.HTTPPort === port) return;
  origin.HTTPPort = port;
  await cf.send(new UpdateDistributionCommand({ Id: id, IfMatch: got.ETag, DistributionConfig: config }));
}

async function findDomain(cf: CloudFrontClient, id: string): Promise<string | undefined> {
  const list = await cf.send(new ListDistributionsCommand({ MaxItems: 100 }));
  return list.DistributionList?.Items?.find((d) => d.Id === id)?.DomainName;
}

async function findPolicy(cf: CloudFrontClient, stagingDomain: string): Promise<string | undefined> {
  const list = await cf.send(new ListContinuousDeploymentPoliciesCommand({ MaxItems: 100 }));
  for (const item of list.ContinuousDeploymentPolicyList?.Items ?? []) {
    const policy = item.ContinuousDeploymentPolicy;
    if (policy?.ContinuousDeploymentPolicyConfig?.StagingDistributionDnsNames?.Items?.includes(stagingDomain)) {
      return policy.Id;
    }
  }
  return undefined;
}

export async function seedDemo(
  cf: CloudFrontClient,
  ports: { primary: number; staging: number },
): Promise<{ weight: DemoPair; header: DemoPair }> {
  const weight = await ensurePair(cf, "weight", "localhost", ports, {
    Type: "SingleWeight",
    SingleWeightConfig: { Weight: 0.1, SessionStickinessConfig: { IdleTTL: 300, MaximumTTL: 600 } },
  });
  const header = await ensurePair(cf, "header", "header.localhost", ports, {
    Type: "SingleHeader",
    SingleHeaderConfig: { Header: "aws-cf-cd-demo", Value: "staging" },
  });
  return { weight, header };
}
