/**
 * Builds the bundles the benchmark runs: splitfront exactly as it deploys (`wrangler deploy --dry-run`), and the
 * counting entry (bench/workers/counting-entry.js) through the same bundler, so both carry the same code.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { basename, extname } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export const repoRoot = fileURLToPath(new URL("..", import.meta.url));
// Under .wrangler/ (git-ignored, and outside biome's scope, so `npm run lint` does not lint the bundles).
const buildRoot = fileURLToPath(new URL("../.wrangler/bench/", import.meta.url));

export interface Bundle {
  scriptPath: string;
  bytes: number;
  gzipBytes: number;
}

function wranglerBundle(entry: string | null, outdir: string): Bundle {
  const args = ["wrangler", "deploy", ...(entry === null ? [] : [entry]), "--dry-run", "--outdir", outdir];
  const r = spawnSync("npx", args, {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
  });
  if (r.status !== 0) throw new Error(`wrangler build failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  // wrangler names the bundle after the entry module.
  const scriptPath = `${outdir}/${entry === null ? "index" : basename(entry, extname(entry))}.js`;
  const code = readFileSync(scriptPath);
  return { scriptPath, bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
}

export function buildSplitfront(): Bundle {
  return wranglerBundle(null, `${buildRoot}splitfront`);
}

/** A bundle built elsewhere (BENCH_SPLITFRONT_SCRIPT), measured as is. */
export function prebuilt(scriptPath: string): Bundle {
  const code = readFileSync(scriptPath);
  return { scriptPath, bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
}

export function buildCountingEntry(): Bundle {
  return wranglerBundle("bench/workers/counting-entry.js", `${buildRoot}counting`);
}

export const baselineWorker = (name: "passthrough" | "cloudfront-passthrough" | "naive-ab" | "runtime-ops"): string =>
  fileURLToPath(new URL(`./workers/${name}.js`, import.meta.url));
