/**
 * docs/*.md as a reader uses them: every `sh` and `python` snippet of a page runs as written against `npm start`
 * (the real npm on free ports; the only change made is the port, 8787 → this run's), in the page's order and in one
 * terminal (bash -e -o pipefail, the Python through `python3 -`), as the reader would; so a later snippet may use
 * what an earlier one exported. Every other fenced block is data a reader does not run (json, xml, text: answers,
 * records, output) or is named below with what checks it or why nothing here can: a block of a new kind fails this
 * test until it gets one. The pages' HCL is run with Terraform: control-api.md's provider block (the README stack's,
 * examples/terraform/main.tf, with its endpoint filled in) and functions.md's function, applied.
 * The inline `npm run …` commands name scripts of package.json, and every repository path a page names exists.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import {
  DeleteFunctionCommand,
  DescribeFunctionCommand,
  GetFunctionCommand,
  ListContinuousDeploymentPoliciesCommand,
  ListDistributionsCommand,
  ListFunctionsCommand,
} from "@aws-sdk/client-cloudfront";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { terraformWorkspace } from "../support/node/terraform.js";
import {
  type Block,
  classify,
  fencedBlocks,
  type NotRun,
  type SnippetShell,
  snippetShell,
} from "./helpers/doc-snippets.js";
import { type NpmStart, npmStart, repoRoot } from "./helpers/npm-start.js";
import { cloudfront } from "./helpers/sdk.js";

const PAGES = readdirSync(join(repoRoot, "docs"))
  .filter((f) => f.endsWith(".md"))
  .sort();
const read = (path: string) => readFileSync(join(repoRoot, path), "utf8");

/** Data, not commands: answers, records and output. extensions-docs.test.ts checks extensions-api.md's JSON. */
const DATA = new Set(["json", "xml", "text"]);
/** Run by bash and python3 in one terminal, in the page's order. */
const SHELL = new Set(["sh", "python"]);

/** The other blocks, by page: what checks each, or why nothing here can run it. */
const OTHER: Record<string, NotRun[]> = {
  "control-api.md": [
    {
      lang: "hcl",
      contains: 'provider "aws"',
      why: "examples/terraform/main.tf's provider block with its endpoint's default; applied below with functions.md's function",
    },
  ],
  "extensions-api.md": [
    {
      lang: "yaml",
      contains: "scrape_configs",
      why: "a Prometheus scrape job: needs a deployed worker and Prometheus",
    },
    {
      lang: "toml",
      contains: "analytics_engine_datasets",
      why: "an Analytics Engine binding: needs a Cloudflare account",
    },
    { lang: "sql", contains: "FROM splitfront", why: "Analytics Engine's SQL API: needs a Cloudflare account" },
  ],
  "functions.md": [
    {
      lang: "hcl",
      contains: 'resource "aws_cloudfront_function" "rewrite"',
      why: "applied below with control-api.md's provider block",
    },
  ],
};

function blocksOf(page: string): { shell: Block[]; data: Block[]; unused: string[] } {
  const blocks = fencedBlocks(read(`docs/${page}`));
  const shell = blocks.filter((b) => SHELL.has(b.lang));
  const data = blocks.filter((b) => DATA.has(b.lang));
  const rest = blocks.filter((b) => !SHELL.has(b.lang) && !DATA.has(b.lang));
  const { run: unexplained, unused } = classify(rest, OTHER[page] ?? []);
  return {
    shell,
    data,
    unused: [...unused, ...unexplained.map((b) => `${b.lang || "(no language)"} at line ${b.line}`)],
  };
}

/** One terminal's worth of a page's snippets: the shell ones as they are, the Python ones fed to `python3 -`. */
function asOneScript(blocks: Block[]): string {
  return blocks.map((b) => (b.lang === "sh" ? b.code : `python3 - <<'PYTHON'\n${b.code}PYTHON\n`)).join("\n");
}

function hclBlock(page: string, contains: string): string {
  const block = fencedBlocks(read(`docs/${page}`)).find((b) => b.lang === "hcl" && b.code.includes(contains));
  if (block === undefined) throw new Error(`docs/${page} has no hcl block with ${contains}`);
  return block.code;
}

let run: NpmStart;
let shell: SnippetShell;
let endpoint: string;

beforeAll(async () => {
  run = await npmStart();
  await run.waitFor("Ctrl-C");
  shell = snippetShell(run.ports.port);
  endpoint = `http://127.0.0.1:${run.ports.port}/_cd`;
  // A few viewers of the header site first, so that their counters have reached the metrics store (within
  // METRICS_FLUSH_S, 10 s) by the time the Prometheus example is compared with the endpoint's text.
  for (let i = 0; i < 5; i++) await viewer("header.localhost", `/docs-${i}`);
}, 180_000);

afterAll(async () => {
  await run?.cleanup();
  shell?.remove();
});

/** A viewer's GET of `path` on the demo site `host` (whose name need not resolve here); resolves to the status. */
function viewer(host: string, path: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: run.ports.port, path, headers: { host } }, (res) =>
      res.resume().on("end", () => resolve(res.statusCode)),
    );
    req.on("error", reject).end();
  });
}

/** Runs a page's sh and python snippets in one terminal; fails with their output unless all succeed, quietly. */
function runPage(page: string): string {
  const { shell: blocks } = blocksOf(page);
  const r = shell.execute("sh", asOneScript(blocks));
  expect({ status: r.status, stderr: r.stderr }, r.stdout).toEqual({ status: 0, stderr: "" });
  return r.stdout;
}

describe.each(PAGES)("docs/%s", (page) => {
  it("has only blocks that run here, data, or blocks named with what checks them", () => {
    expect(blocksOf(page).unused).toEqual([]);
  });
});

describe("docs/control-api.md", () => {
  /** What the demo holds: distributions and policies with their ETags. */
  async function demoState() {
    const cf = cloudfront(endpoint);
    const d = await cf.send(new ListDistributionsCommand({}));
    const p = await cf.send(new ListContinuousDeploymentPoliciesCommand({}));
    return {
      distributions: (d.DistributionList?.Items ?? []).map((x) => [x.Id, x.ETag, x.Enabled]),
      policies: (p.ContinuousDeploymentPolicyList?.Items ?? []).map((x) => [
        x.ContinuousDeploymentPolicy?.Id,
        x.ContinuousDeploymentPolicy?.LastModifiedTime?.toISOString(),
      ]),
    };
  }

  it("its boto3 and AWS CLI snippets run as written against npm start's demo and leave it as they found it", async () => {
    expect(blocksOf("control-api.md").shell.map((b) => b.lang)).toEqual(["python", "sh"]);
    const before = await demoState();
    const out = runPage("control-api.md");
    // boto3's line: the new policy's id, the staging copy's domain name it names, its header traffic config.
    expect(out).toMatch(
      /^[0-9a-f-]{36} \['d[a-z0-9]+\.splitfront\.localhost'\] \{'SingleHeaderConfig': \{'Header': 'aws-cf-cd-preview', 'Value': 'true'\}, 'Type': 'SingleHeader'\}$/m,
    );
    // The CLI's policy as read back, and the listing with the disabled staging copy among the demo's distributions.
    expect(out).toContain('"Type": "SingleWeight"');
    expect(out.match(/\|\s+d[a-z0-9]+\.splitfront\.localhost\s+\|/g)).toHaveLength(before.distributions.length + 1);
    expect(out).toMatch(/\|\s+d[a-z0-9]+\.splitfront\.localhost\s+\|\s+False\s+\|\s+E\w+\s+\|\s+True\s+\|/);
    expect(await demoState()).toEqual(before);
  });

  it("has examples/terraform/main.tf's provider block, with the endpoint's default filled in", () => {
    const stack = read("examples/terraform/main.tf");
    const provider = /^provider "aws" \{\n[\s\S]*?^\}\n/m.exec(stack)?.[0];
    const endpointDefault = /^variable "endpoint" \{ default = ("[^"]+") \}/m.exec(stack)?.[1];
    if (provider === undefined || endpointDefault === undefined) throw new Error("main.tf changed shape");
    expect(hclBlock("control-api.md", 'provider "aws"')).toBe(provider.replace("var.endpoint", endpointDefault));
  });
});

describe("docs/extensions-api.md", () => {
  it("its curl and Python snippets run as written against npm start's demo, the Python in the same shell", () => {
    // The Python snippet reads the ID the shell snippet exported: the reader runs it in the same terminal.
    expect(blocksOf("extensions-api.md").shell.map((b) => b.lang)).toEqual(["sh", "python"]);
    const out = runPage("extensions-api.md");
    // curl's metrics report and history (JSON), then Python's report and the preview link's URL.
    const id = /"distributionId":"(E\w+)"/.exec(out)?.[1];
    expect(out).toContain(`"versions":[`);
    expect(out).toContain(`'distributionId': '${id}'`);
    expect(out.trim().split("\n").at(-1)).toMatch(/^http:\/\/localhost:\d+\/\?sf-preview=pt1\./);
  });

  it("shows Prometheus lines with the metric names and labels the endpoint really has", async () => {
    const shown = blocksOf("extensions-api.md").data.filter((b) => b.lang === "text");
    expect(shown).toHaveLength(1);
    /** A sample's name and label names, its values left out: `name{a,b,c}`. */
    const shape = (line: string) => line.replace(/="[^"]*"/g, "").replace(/ \S+$/, "");
    const shapes = async (): Promise<Set<string>> => {
      const res = await fetch(`${endpoint}/splitfront/v1/metrics`, {
        headers: { authorization: "Bearer local-metrics-token" },
      });
      expect(res.status).toBe(200);
      const samples = (await res.text()).split("\n").filter((l) => l !== "" && !l.startsWith("#"));
      return new Set(samples.map(shape));
    };
    // Polled: the viewers sent first are counted within METRICS_FLUSH_S of their requests.
    let real = await shapes();
    for (const deadline = Date.now() + 30_000; real.size === 0 && Date.now() < deadline; real = await shapes()) {
      await new Promise((r) => setTimeout(r, 500));
    }
    const lines = (shown[0]?.code ?? "").trim().split("\n");
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(real, line).toContain(shape(line));
  });
});

describe("docs/functions.md", () => {
  it("its Terraform function, with control-api.md's provider block, applies against npm start", async () => {
    const main = [hclBlock("control-api.md", 'provider "aws"'), hclBlock("functions.md", "aws_cloudfront_function")]
      .join("\n")
      .replaceAll(":8787", `:${run.ports.port}`);
    const ws = await terraformWorkspace({ "main.tf": main });
    const cf = cloudfront(endpoint);
    try {
      await ws.run(["init", "-input=false"]);
      await ws.run(["apply", "-auto-approve", "-input=false"]);
      const live = await cf.send(new DescribeFunctionCommand({ Name: "spa-rewrite", Stage: "LIVE" }));
      expect(live.FunctionSummary?.FunctionConfig).toMatchObject({
        Runtime: "cloudfront-js-2.0",
        Comment: "directory URLs to index.html, tried on staging first",
      });
      const code = await cf.send(new GetFunctionCommand({ Name: "spa-rewrite", Stage: "LIVE" }));
      expect(new TextDecoder().decode(code.FunctionCode)).toContain("request.uri += '/index.html'");
    } finally {
      // Removed with the SDK rather than `terraform destroy`, whose provider start-ups take half a minute here.
      const list = await cf.send(new ListFunctionsCommand({ Stage: "DEVELOPMENT" }));
      const made = list.FunctionList?.Items?.find((f) => f.Name === "spa-rewrite");
      if (made !== undefined) {
        const { ETag } = await cf.send(new DescribeFunctionCommand({ Name: "spa-rewrite" }));
        await cf.send(new DeleteFunctionCommand({ Name: "spa-rewrite", IfMatch: ETag }));
      }
      await ws.remove();
    }
  }, 180_000);
});

describe("docs/*.md inline commands and paths", () => {
  const scripts = Object.keys((JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts);
  it.each(PAGES)("%s runs only npm scripts that exist and names only files that exist", (page) => {
    const text = read(`docs/${page}`);
    const npmRuns = [...text.matchAll(/`[^`]*\bnpm run ([\w:-]+)[^`]*`/g)].map((m) => m[1]);
    expect(npmRuns.filter((s) => s === undefined || !scripts.includes(s))).toEqual([]);
    const paths = [...text.matchAll(/(?<![\w./-])((?:src|test|scripts|bench|examples|console)\/[\w./*-]*\w)/g)]
      .map((m) => m[1] ?? "")
      .filter((p) => !p.includes("*"));
    expect(paths.length, "every page names some of the repository's files").toBeGreaterThan(0);
    expect(paths.filter((p) => !existsSync(join(repoRoot, p)))).toEqual([]);
  });
});
