/** Running the AWS tools users already have (boto3, the AWS CLI) against the worker, with test credentials only. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

export const run = promisify(execFile);

export const toolEnv = () => ({
  ...process.env,
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_DEFAULT_REGION: "us-east-1",
  AWS_CONFIG_FILE: "/dev/null",
  AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
  AWS_EC2_METADATA_DISABLED: "true",
});

/** The first Python that has boto3 (pyenv's python3 may lack it where Debian's /usr/bin/python3 has it). */
export async function pythonWithBoto3(): Promise<string> {
  for (const py of ["python3", "/usr/bin/python3"]) {
    const ok = await run(py, ["-c", "import boto3"]).then(
      () => true,
      () => false,
    );
    if (ok) return py;
  }
  throw new Error("no python3 with boto3: install python3-boto3");
}
