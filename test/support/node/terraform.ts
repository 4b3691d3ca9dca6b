/**
 * Runs the real `terraform` with the real hashicorp/aws provider, offline: a CLI config whose
 * provider_installation takes hashicorp/aws from a local filesystem mirror (and nothing from the network), the
 * mirror also serving as the plugin cache so `init` links the ~700 MB provider instead of copying it, a temporary
 * working directory and TF_DATA_DIR per workspace, CHECKPOINT_DISABLE. Where terraform or the provider is missing
 * this throws with what to install: the Terraform tests fail loudly, they never skip.
 *
 * Found by: SPLITFRONT_TERRAFORM (the binary) or `terraform` on the PATH; SPLITFRONT_TF_MIRROR (a directory
 * holding registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/) or the usual places below.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

const MIRRORS = ["/opt/tf-plugins", "/usr/local/share/terraform/plugins", "/usr/share/terraform/plugins"];
const AWS_PROVIDER = join("registry.terraform.io", "hashicorp", "aws");
const PLATFORM = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;

export class TerraformMissing extends Error {}

export function findTerraform(): string {
  const explicit = process.env.SPLITFRONT_TERRAFORM;
  if (explicit !== undefined && explicit !== "") {
    if (existsSync(explicit)) return explicit;
    throw new TerraformMissing(`SPLITFRONT_TERRAFORM=${explicit} does not exist.`);
  }
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "terraform");
    if (dir !== "" && existsSync(candidate)) return candidate;
  }
  throw new TerraformMissing(
    "terraform is not on the PATH (nor SPLITFRONT_TERRAFORM set). The Terraform end-to-end tests need Terraform " +
      "1.5+ and a filesystem mirror of the hashicorp/aws provider; Debian has no terraform package, so CI relies on " +
      "the machine image's /usr/local/bin/terraform (see .ci/run).",
  );
}

/** The mirror directory and the provider versions it holds for this platform. */
export function findProviderMirror(): { dir: string; versions: string[] } {
  const explicit = process.env.SPLITFRONT_TF_MIRROR;
  const candidates = explicit !== undefined && explicit !== "" ? [explicit] : MIRRORS;
  for (const dir of candidates) {
    const base = join(dir, AWS_PROVIDER);
    if (!existsSync(base)) continue;
    const versions = readdirSync(base).filter((v) => existsSync(join(base, v, PLATFORM)));
    if (versions.length > 0) return { dir, versions };
  }
  throw new TerraformMissing(
    `No filesystem mirror of the hashicorp/aws provider for ${PLATFORM} in ${candidates.join(", ")} ` +
      `(expected <mirror>/${AWS_PROVIDER}/<version>/${PLATFORM}/). Set SPLITFRONT_TF_MIRROR to one.`,
  );
}

export interface TerraformRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Workspace {
  dir: string;
  /** Runs terraform with `args`; fails (with its output) unless the exit code is one of `okCodes`. */
  run(args: string[], okCodes?: number[]): Promise<TerraformRun>;
  /** `terraform output -json` as values. */
  outputs(): Promise<Record<string, unknown>>;
  remove(): Promise<void>;
}

function cliConfig(mirror: string): string {
  const m = JSON.stringify(mirror);
  return `plugin_cache_dir = ${m}
plugin_cache_may_break_dependency_lock_file = true
provider_installation {
  filesystem_mirror {
    path    = ${m}
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/*/*"]
  }
}
`;
}

/** A temporary Terraform working directory holding `files` (name → content). */
export async function terraformWorkspace(files: Record<string, string>): Promise<Workspace> {
  const terraform = findTerraform();
  const mirror = findProviderMirror();
  const dir = await mkdtemp(join(tmpdir(), "splitfront-tf-"));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  const cliConfigFile = join(dir, "cli.tfrc");
  await writeFile(cliConfigFile, cliConfig(mirror.dir));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfigFile,
    TF_DATA_DIR: join(dir, ".terraform"),
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_EC2_METADATA_DISABLED: "true",
  };
  for (const k of ["AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "TF_LOG"]) {
    delete env[k];
  }

  const run = (args: string[], okCodes: number[] = [0]): Promise<TerraformRun> =>
    new Promise((resolve, reject) => {
      const child = spawn(terraform, [...args, "-no-color"], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (b: Buffer) => {
        stdout += b.toString();
      });
      child.stderr.on("data", (b: Buffer) => {
        stderr += b.toString();
      });
      child.on("error", reject);
      child.on("close", (code) => {
        const r = { code: code ?? -1, stdout, stderr };
        if (okCodes.includes(r.code)) resolve(r);
        else reject(new Error(`terraform ${args.join(" ")} exited ${r.code}\n${stdout}\n${stderr}`));
      });
    });

  return {
    dir,
    run,
    async outputs() {
      const r = await run(["output", "-json"]);
      const parsed = JSON.parse(r.stdout) as Record<string, { value: unknown }>;
      return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v.value]));
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
