/**
 * The AWS CLI (`aws cloudfront …`) against a running worker, with the local test credentials and nothing read
 * from the machine's own AWS configuration.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The environment for AWS tools: test/test in us-east-1, no config or credential files, no instance metadata. */
export const toolEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_DEFAULT_REGION: "us-east-1",
  AWS_CONFIG_FILE: "/dev/null",
  AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
  AWS_EC2_METADATA_DISABLED: "true",
});

/** Runs `aws cloudfront <args> --endpoint-url <endpoint> --output json`; rejects with the CLI's stderr. */
export async function awsCloudFront(endpoint: string, args: string[]): Promise<string> {
  const { stdout } = await run("aws", ["cloudfront", ...args, "--endpoint-url", endpoint, "--output", "json"], {
    env: toolEnv(),
    timeout: 60_000,
  });
  return stdout;
}
