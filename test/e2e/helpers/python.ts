/**
 * Running the AWS tools users already have (boto3, the AWS CLI) against the worker, with test credentials only: the
 * Python that has boto3 (pyenv's python3 may lack it where Debian's /usr/bin/python3 has it), a runner that feeds a
 * script its input on stdin, and an environment for the tools.
 */
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

let found: Promise<string> | undefined;

/** The first Python that has boto3; fails loudly when none has (install python3-boto3). */
export function pythonWithBoto3(): Promise<string> {
  found ??= (async () => {
    for (const py of ["python3", "/usr/bin/python3"]) {
      const ok = await run(py, ["-c", "import boto3"]).then(
        () => true,
        () => false,
      );
      if (ok) return py;
    }
    throw new Error("no python3 with boto3: install python3-boto3");
  })();
  return found;
}

/** Runs `script` with `args` under the boto3 Python, `input` on stdin; resolves to stdout. */
export async function runPython(script: string, args: string[] = [], input = ""): Promise<string> {
  const py = await pythonWithBoto3();
  return new Promise((resolve, reject) => {
    const child = execFile(py, ["-c", script, ...args], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr}`));
      else resolve(stdout);
    });
    child.stdin?.end(input);
  });
}
