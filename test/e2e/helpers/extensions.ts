/**
 * The JSON extensions (docs/extensions-api.md) from Node: calls signed by the AWS SDK's own signer (smithy's
 * SignatureV4), and a primary/staging pair with a weight policy made through the AWS SDK on the test origins.
 */
import {
  type CloudFrontClient,
  CopyDistributionCommand,
  CreateContinuousDeploymentPolicyCommand,
  CreateDistributionCommand,
  GetDistributionConfigCommand,
  UpdateDistributionCommand,
} from "@aws-sdk/client-cloudfront";
import { signCloudFrontRequest } from "../../support/shared/signing.js";
import { distributionConfig, present, ref, weightPolicy } from "./sdk.js";

export interface ExtAnswer {
  status: number;
  etag: string | null;
  /** The JSON body; {} for a body that is not JSON (the Prometheus text). */
  json: Record<string, unknown>;
}

/** `method` `${endpoint}/splitfront/v1${path}`, with `body` as JSON, signed as the AWS SDKs sign. */
export async function extCall(
  endpoint: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ExtAnswer> {
  const url = new URL(`${endpoint}/splitfront/v1${path}`);
  const text = body === undefined ? undefined : JSON.stringify(body);
  const signed = await signCloudFrontRequest(
    method,
    url,
    { ...headers, ...(text === undefined ? {} : { "content-type": "application/json" }) },
    text,
  );
  const { host: _host, ...sent } = signed;
  const res = await fetch(url, { method, headers: sent, body: text });
  const json = res.headers.get("content-type")?.startsWith("application/json") ? await res.json() : {};
  return { status: res.status, etag: res.headers.get("etag"), json: json as Record<string, unknown> };
}

export interface StagingWorld {
  primaryId: string;
  stagingId: string;
  policyId: string;
}

/**
 * A primary on the primary origin (alias `host`), its staging copy moved to the staging origin, and a sticky
 * SingleWeight policy at `weight` naming it, not attached.
 */
export async function stagingWorld(
  cf: CloudFrontClient,
  ports: { primary: number; staging: number },
  host: string,
  weight: number,
): Promise<StagingWorld> {
  const p = await cf.send(
    new CreateDistributionCommand({
      DistributionConfig: distributionConfig(ref("ext"), ports.primary, { Aliases: { Quantity: 1, Items: [host] } }),
    }),
  );
  const primaryId = present(p.Distribution?.Id, "primary id");
  const s = await cf.send(
    new CopyDistributionCommand({ PrimaryDistributionId: primaryId, Staging: true, CallerReference: ref("ext-s") }),
  );
  const stagingId = present(s.Distribution?.Id, "staging id");
  const stagingCfg = await cf.send(new GetDistributionConfigCommand({ Id: stagingId }));
  const cfg = present(stagingCfg.DistributionConfig, "staging config");
  const origin = cfg.Origins?.Items?.[0]?.CustomOriginConfig;
  if (origin !== undefined) origin.HTTPPort = ports.staging;
  await cf.send(new UpdateDistributionCommand({ Id: stagingId, IfMatch: stagingCfg.ETag, DistributionConfig: cfg }));
  const policy = await cf.send(
    new CreateContinuousDeploymentPolicyCommand({
      ContinuousDeploymentPolicyConfig: weightPolicy(present(s.Distribution?.DomainName, "staging domain"), weight),
    }),
  );
  return { primaryId, stagingId, policyId: present(policy.ContinuousDeploymentPolicy?.Id, "policy id") };
}
