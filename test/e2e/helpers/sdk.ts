/**
 * The real AWS SDK client pointed at a running splitfront, config builders in the SDK's own types, and an
 * assertion helper for CloudFront errors (the SDK turns <Code> into the error's name).
 */
import {
  CloudFrontClient,
  type ContinuousDeploymentPolicyConfig,
  CopyDistributionCommand,
  CreateDistributionCommand,
  type DistributionConfig,
} from "@aws-sdk/client-cloudfront";
import { expect } from "vitest";

export function cloudfront(endpoint: string, credentials = { accessKeyId: "test", secretAccessKey: "test" }) {
  return new CloudFrontClient({ endpoint, region: "us-east-1", credentials, maxAttempts: 1 });
}

export const CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";

export function distributionConfig(
  ref: string,
  port: number,
  overrides: Partial<DistributionConfig> = {},
): DistributionConfig {
  return {
    CallerReference: ref,
    Aliases: { Quantity: 0 },
    DefaultRootObject: "",
    Origins: {
      Quantity: 1,
      Items: [
        {
          Id: "origin",
          DomainName: "127.0.0.1",
          OriginPath: "",
          CustomHeaders: { Quantity: 0 },
          CustomOriginConfig: { HTTPPort: port, HTTPSPort: 443, OriginProtocolPolicy: "http-only" },
        },
      ],
    },
    DefaultCacheBehavior: {
      TargetOriginId: "origin",
      ViewerProtocolPolicy: "allow-all",
      CachePolicyId: CACHING_DISABLED,
    },
    Comment: `e2e ${ref}`,
    Enabled: true,
    ...overrides,
  };
}

export function weightPolicy(stagingDns: string, weight: number, enabled = true): ContinuousDeploymentPolicyConfig {
  return {
    StagingDistributionDnsNames: { Quantity: 1, Items: [stagingDns] },
    Enabled: enabled,
    TrafficConfig: {
      SingleWeightConfig: { Weight: weight, SessionStickinessConfig: { IdleTTL: 300, MaximumTTL: 600 } },
      Type: "SingleWeight",
    },
  };
}

export function headerPolicy(stagingDns: string, header: string, value: string): ContinuousDeploymentPolicyConfig {
  return {
    StagingDistributionDnsNames: { Quantity: 1, Items: [stagingDns] },
    Enabled: true,
    TrafficConfig: { SingleHeaderConfig: { Header: header, Value: value }, Type: "SingleHeader" },
  };
}

/** Awaits `p`, expecting a CloudFront error with this code and HTTP status. */
export async function expectCloudFrontError(p: Promise<unknown>, code: string, status: number): Promise<void> {
  const err: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected ${code}`).toBeInstanceOf(Error);
  const e = err as Error & { $metadata?: { httpStatusCode?: number; requestId?: string } };
  expect(e.name).toBe(code);
  expect(e.$metadata?.httpStatusCode).toBe(status);
  expect(e.$metadata?.requestId).toMatch(/^[0-9a-f-]{36}$/);
}

let counter = 0;
/** A CallerReference unique within this process. */
export const ref = (what: string): string => `${what}-${process.pid}-${++counter}-${Date.now()}`;

/** The value, or a thrown error naming what was missing (the SDK types every output member as optional). */
export function present<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`missing ${what}`);
  return v;
}

/** A new primary (origin port 9001) and its staging copy; `label` names their CallerReferences. */
export async function stagingPair(cf: CloudFrontClient, label: string) {
  const p = await cf.send(new CreateDistributionCommand({ DistributionConfig: distributionConfig(ref(label), 9001) }));
  const s = await cf.send(
    new CopyDistributionCommand({
      PrimaryDistributionId: p.Distribution?.Id,
      Staging: true,
      CallerReference: ref(`${label}-s`),
    }),
  );
  return {
    primaryId: present(p.Distribution?.Id, "primary id"),
    stagingId: present(s.Distribution?.Id, "staging id"),
    stagingDomain: present(s.Distribution?.DomainName, "staging domain"),
  };
}
