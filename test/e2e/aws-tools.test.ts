/**
 * The README's calls with the AWS tools users already have: boto3's documented
 * create_continuous_deployment_policy call (python3) and the same with the AWS CLI, both against the worker.
 */
import { GetContinuousDeploymentPolicyCommand } from "@aws-sdk/client-cloudfront";
import { expect, it } from "vitest";
import { pythonWithBoto3, run, toolEnv } from "./helpers/python.js";
import { stagingPair } from "./helpers/sdk.js";
import { useWorker } from "./helpers/worker.js";

const t = useWorker();

async function stagingDomain(): Promise<string> {
  return (await stagingPair(t.cf, "tools")).stagingDomain;
}

const BOTO3 = `
import json, sys, boto3
endpoint, staging_domain = sys.argv[1], sys.argv[2]
client = boto3.client("cloudfront", endpoint_url=endpoint, region_name="us-east-1",
                      aws_access_key_id="test", aws_secret_access_key="test")
r = client.create_continuous_deployment_policy(ContinuousDeploymentPolicyConfig={"StagingDistributionDnsNames": {"Quantity": 1, "Items": [staging_domain]}, "Enabled": True, "TrafficConfig": {"SingleWeightConfig": {"Weight": 0.1, "SessionStickinessConfig": {"IdleTTL": 300, "MaximumTTL": 600}}, "Type": "SingleWeight"}})
print(json.dumps({"status": r["ResponseMetadata"]["HTTPStatusCode"], "id": r["ContinuousDeploymentPolicy"]["Id"], "etag": r["ETag"], "location": r["Location"]}))
`;

it("boto3: the documented create_continuous_deployment_policy call", async () => {
  const dns = await stagingDomain();
  const { stdout } = await run(await pythonWithBoto3(), ["-c", BOTO3, t.worker.endpoint, dns], { env: toolEnv() });
  const out = JSON.parse(stdout) as { status: number; id: string; etag: string; location: string };
  expect(out.status).toBe(201);
  expect(out.location).toBe(`${t.worker.endpoint}/2020-05-31/continuous-deployment-policy/${out.id}`);
  const got = await t.cf.send(new GetContinuousDeploymentPolicyCommand({ Id: out.id }));
  expect(got.ETag).toBe(out.etag);
  expect(
    got.ContinuousDeploymentPolicy?.ContinuousDeploymentPolicyConfig?.TrafficConfig?.SingleWeightConfig?.Weight,
  ).toBe(0.1);
});

it("AWS CLI: aws cloudfront create-continuous-deployment-policy --endpoint-url …", async () => {
  const dns = await stagingDomain();
  const config = {
    StagingDistributionDnsNames: { Quantity: 1, Items: [dns] },
    Enabled: true,
    TrafficConfig: { SingleHeaderConfig: { Header: "aws-cf-cd-test", Value: "blue" }, Type: "SingleHeader" },
  };
  const { stdout } = await run(
    "aws",
    [
      "cloudfront",
      "create-continuous-deployment-policy",
      "--endpoint-url",
      t.worker.endpoint,
      "--continuous-deployment-policy-config",
      JSON.stringify(config),
      "--output",
      "json",
    ],
    { env: toolEnv() },
  );
  const out = JSON.parse(stdout) as {
    ContinuousDeploymentPolicy: { Id: string; ContinuousDeploymentPolicyConfig: unknown };
  };
  expect(out.ContinuousDeploymentPolicy.ContinuousDeploymentPolicyConfig).toEqual(config);
  // And an error comes back as the CLI's usual CloudFront error.
  const failed = await run(
    "aws",
    ["cloudfront", "get-distribution", "--id", "ENOSUCHDISTRIB", "--endpoint-url", t.worker.endpoint],
    { env: toolEnv() },
  ).then(
    () => null,
    (e: { stderr: string }) => e.stderr,
  );
  expect(failed).toContain("NoSuchDistribution");
});
