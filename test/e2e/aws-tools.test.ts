/**
 * The README's calls with the AWS tools users already have: boto3's documented
 * create_continuous_deployment_policy call (python3) and the same with the AWS CLI, both against the worker.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { GetContinuousDeploymentPolicyCommand } from "@aws-sdk/client-cloudfront";
import { expect, it } from "vitest";
import { awsCloudFront, toolEnv } from "./helpers/aws-cli.js";
import { stagingPair } from "./helpers/sdk.js";
import { useWorker } from "./helpers/worker.js";

const run = promisify(execFile);

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

/** The first Python that has boto3 (pyenv's python3 may lack it where Debian's /usr/bin/python3 has it). */
async function pythonWithBoto3(): Promise<string> {
  for (const py of ["python3", "/usr/bin/python3"]) {
    const ok = await run(py, ["-c", "import boto3"]).then(
      () => true,
      () => false,
    );
    if (ok) return py;
  }
  throw new Error("no python3 with boto3: install python3-boto3");
}

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
  const stdout = await awsCloudFront(t.worker.endpoint, [
    "create-continuous-deployment-policy",
    "--continuous-deployment-policy-config",
    JSON.stringify(config),
  ]);
  const out = JSON.parse(stdout) as {
    ContinuousDeploymentPolicy: { Id: string; ContinuousDeploymentPolicyConfig: unknown };
  };
  expect(out.ContinuousDeploymentPolicy.ContinuousDeploymentPolicyConfig).toEqual(config);
  // And an error comes back as the CLI's usual CloudFront error.
  const failed = await awsCloudFront(t.worker.endpoint, ["get-distribution", "--id", "ENOSUCHDISTRIB"]).then(
    () => null,
    (e: { stderr: string }) => e.stderr,
  );
  expect(failed).toContain("NoSuchDistribution");
});
