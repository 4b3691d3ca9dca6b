/**
 * Seeds the `npm start` demo through splitfront's CloudFront API with the real AWS SDK, exactly as an operator
 * would: two primaries (localhost: a 10 % sticky weight policy; header.localhost: a header policy), each copied to
 * a staging distribution that points at the staging origin, a policy per pair, attached by UpdateDistribution.
 * Each origin sends the site's name in a custom header (DEMO_SITE_HEADER), so the demo origin's page can name it.
 * Idempotent: distributions are found again by CallerReference, so a restart reuses the persisted state, and
 * ones found again are pointed at this run's origin ports (DEMO_*_PORT may have changed since they were made).
 * Policies are never changed once made: what the pair reports is the policy as it is now (the README's CLI
 * example raises the demo's weight, for instance).
 */
import {
  type CloudFrontClient,
  type ContinuousDeploymentPolicyConfig,
  CopyDistributionCommand,
  CreateContinuousDeploymentPolicyCommand,
  CreateDistributionCommand,
  type DistributionConfig,
  GetContinuousDeploymentPolicyConfigCommand,
  GetDistributionConfigCommand,
  ListContinuousDeploymentPoliciesCommand,
  ListDistributionsCommand,
  UpdateDistributionCommand,
} from "@aws-sdk/client-cloudfront";
import { DEMO_SITE_HEADER, type DemoSiteInfo } from "./demo-origins.js";

/** AWS's managed cache policy "CachingDisabled": the demo shows routing, not caching. */
const CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";

export interface DemoPair {
  host: string;
  primaryId: string;
  stagingId: string;
  stagingDomain: string;
  policyId: string;
  /** The policy's traffic configuration as the API reports it now. */
  traffic: ContinuousDeploymentPolicyConfig["TrafficConfig"];
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
          CustomHeaders: { Quantity: 1, Items: [{ HeaderName: DEMO_SITE_HEADER, HeaderValue: alias }] },
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
    // An access-log record per request (ACCESS_LOG=distribution follows this): `VERBOSE=1 npm start` shows them.
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
  } else await pointOriginAt(cf, primaryId, ports.primary, host);

  let stagingId = await findDistribution(cf, stagingRef);
  if (stagingId !== undefined) await pointOriginAt(cf, stagingId, ports.staging, host);
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
  const now = await cf.send(new GetContinuousDeploymentPolicyConfigCommand({ Id: policyId }));
  return {
    host,
    primaryId,
    stagingId,
    stagingDomain,
    policyId,
    traffic: now.ContinuousDeploymentPolicyConfig?.TrafficConfig,
  };
}

/**
 * Points a demo distribution's origin at `port` and has it name the site, when an earlier run made it with another
 * port or before the origins named their site.
 */
async function pointOriginAt(cf: CloudFrontClient, id: string, port: number, site: string): Promise<void> {
  const got = await cf.send(new GetDistributionConfigCommand({ Id: id }));
  const config = got.DistributionConfig;
  const origin = config?.Origins?.Items?.[0];
  const custom = origin?.CustomOriginConfig;
  if (config === undefined || origin === undefined || custom === undefined) return;
  const named = origin.CustomHeaders?.Items?.some((h) => h.HeaderName === DEMO_SITE_HEADER && h.HeaderValue === site);
  if (custom.HTTPPort === port && named === true) return;
  custom.HTTPPort = port;
  origin.CustomHeaders = { Quantity: 1, Items: [{ HeaderName: DEMO_SITE_HEADER, HeaderValue: site }] };
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

/** What the demo origins say about a seeded pair on their pages. */
export function demoSiteInfo(pair: DemoPair, sessionCookieName = "sf-cd-session"): DemoSiteInfo {
  const header = pair.traffic?.SingleHeaderConfig;
  if (pair.traffic?.Type === "SingleHeader" && header !== undefined) {
    const sent = `${header.Header}: ${header.Value}`;
    return {
      host: pair.host,
      primaryId: pair.primaryId,
      policyId: pair.policyId,
      policy: "a header policy",
      hint: {
        primary: `Requests carrying the header ${sent} go to staging; this one did not.`,
        staging: `This request carried the header ${sent}, so the policy sent it to staging.`,
      },
    };
  }
  const sticky = pair.traffic?.SingleWeightConfig?.SessionStickinessConfig !== undefined;
  const newDraw = `Clear the ${sessionCookieName} cookie, or open a private window, for a new draw.`;
  return {
    host: pair.host,
    primaryId: pair.primaryId,
    policyId: pair.policyId,
    policy: sticky ? "a sticky weight policy" : "a weight policy",
    hint: sticky
      ? {
          primary: `Your session was drawn for primary and stays there until it ends. ${newDraw}`,
          staging: `Your session was drawn for staging (a share of new sessions, the policy's weight) and stays there until it ends. ${newDraw}`,
        }
      : {
          primary: "Each request is drawn anew: reload to see staging now and then.",
          staging: "This request was drawn for staging (a share of requests, the policy's weight).",
        },
  };
}
