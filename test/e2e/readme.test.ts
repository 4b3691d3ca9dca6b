/**
 * The README is the front door: every command and snippet in it runs as written. This test starts `npm start`
 * (the real npm, on free ports: the only change made to a snippet is the port, 8787 → this run's) and runs the
 * README's fenced blocks in order against it: `sh` with bash (-e -o pipefail: any failing command fails it),
 * `python` with python3. A block of any other language fails the test until it is given a runner or a reason here.
 * (docs/*.md's snippets are run the same way by docs-snippets.test.ts.) Then it runs the commands `npm start`
 * printed, checks that the demo's traffic shows up in the metrics they read, that nothing was logged per request
 * (quiet by default), and stops it with SIGTERM to npm's PID, as a service manager would.
 */
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  classify,
  fencedBlocks,
  type NotRun,
  RUNNERS,
  type SnippetShell,
  snippetShell,
} from "./helpers/doc-snippets.js";
import { type NpmStart, npmStart, repoRoot, stopAndCheck } from "./helpers/npm-start.js";

/**
 * Blocks not run here, each found by its language and a line of it, with the reason. Every other block runs; an
 * entry that matches no block fails the test, so this list cannot outlive the README it describes.
 */
const NOT_RUN: NotRun[] = [
  {
    lang: "sh",
    contains: "npm ci && npm start",
    why: "`npm start` is what this test runs (above); `npm test` is what runs this test; `npm ci` would reinstall node_modules under the running suite",
  },
  {
    lang: "sh",
    contains: "npx wrangler deploy",
    why: "deploying needs a Cloudflare account and network access to its API",
  },
  {
    lang: "hcl",
    contains: 'provider "aws"',
    why: "examples/terraform/main.tf verbatim (test/e2e/terraform.test.ts checks it), which that test applies, re-plans and destroys",
  },
  { lang: "", contains: "request ─►", why: "the architecture diagram: text, not a command" },
];

let run: NpmStart;
let shell: SnippetShell;

beforeAll(async () => {
  run = await npmStart();
  await run.waitFor("Ctrl-C");
  shell = snippetShell(run.ports.port);
}, 180_000);

afterAll(async () => {
  await run?.cleanup();
  shell?.remove();
});

const execute = (lang: string, code: string) => shell.execute(lang, code);

describe("README.md", () => {
  const blocks = fencedBlocks(readFileSync(join(repoRoot, "README.md"), "utf8"));
  const { run: toRun, unused } = classify(blocks, NOT_RUN);

  it("has a runner or a stated reason for every fenced block", () => {
    expect(toRun.filter((b) => RUNNERS[b.lang] === undefined).map((b) => `${b.lang} at line ${b.line}`)).toEqual([]);
    expect(unused).toEqual([]);
    // The API snippets and the quick start's commands are among those run.
    expect(toRun.map((b) => b.lang)).toEqual(expect.arrayContaining(["sh", "python"]));
  });

  for (const block of toRun) {
    it(`${block.lang} block at line ${block.line} (${block.section}) runs as written`, () => {
      const r = execute(block.lang, block.code);
      expect({ status: r.status, stderr: r.stderr }, r.stdout).toEqual({ status: 0, stderr: "" });
      expect(r.stdout.trim()).not.toBe("");
    });
  }
});

describe("npm start", () => {
  it("prints commands that run as printed", () => {
    // "$ " starts a command; a line ending in "\" continues on the next.
    const commands: string[] = [];
    const lines = run.output().split("\n");
    for (let i = 0; i < lines.length; i++) {
      const m = /^\s*\$ (.*)$/.exec(lines[i] ?? "");
      if (m === null) continue;
      let cmd = m[1] ?? "";
      while (cmd.endsWith("\\") && i + 1 < lines.length) cmd = `${cmd.slice(0, -1)} ${(lines[++i] ?? "").trim()}`;
      commands.push(cmd);
    }
    expect(commands.length).toBeGreaterThanOrEqual(6);
    for (const cmd of commands) {
      const r = execute("sh", cmd);
      expect({ cmd, status: r.status, stderr: r.stderr }, r.stdout).toEqual({ cmd, status: 0, stderr: "" });
      expect(r.stdout.trim(), cmd).not.toBe("");
    }
  });

  it("opens on a landing page listing both demo sites; each demo page names its site and policy", async () => {
    const port = run.ports.port;
    const landing = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    expect(landing).toContain(`<code>http://127.0.0.1:${port}/_cd</code>`);
    expect(landing).toContain(`<a href="http://localhost:${port}/">localhost</a>`);
    expect(landing).toContain(`<a href="http://header.localhost:${port}/">header.localhost</a>`);
    expect(landing).toContain("requests carrying the header aws-cf-cd-demo: staging go to staging");
    // fetch() sets Host from the URL, and *.localhost names need not resolve here: a request with its own Host.
    const page = await new Promise<string>((resolve, reject) => {
      const req = request(
        { host: "127.0.0.1", port, path: "/", headers: { host: `header.localhost:${port}` } },
        (res) => {
          let body = "";
          res.setEncoding("utf8").on("data", (d: string) => {
            body += d;
          });
          res.on("end", () => resolve(body));
        },
      );
      req.on("error", reject).end();
    });
    expect(page).toMatch(/Site <strong>header\.localhost<\/strong>: distribution E\w+ with a header policy/);
  });

  it("prints the metrics commands, and the demo's traffic shows up in them within METRICS_FLUSH_S", async () => {
    const printed = (needle: string): string => {
      const line = run
        .output()
        .split("\n")
        .find((l) => l.includes("$ ") && l.includes(needle));
      if (line === undefined) throw new Error(`npm start printed no command with ${needle}`);
      return line.slice(line.indexOf("$ ") + 2);
    };
    const report = printed("--aws-sigv4");
    const prometheus = printed("Authorization: Bearer");
    expect(report).toMatch(/\/_cd\/splitfront\/v1\/distributions\/E\w+\/metrics$/);
    interface Report {
      stagingDistributionId: string | null;
      primary: { requests: number } | null;
      staging: { requests: number } | null;
    }
    const read = (): Report => {
      const r = execute("sh", report);
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as Report;
    };
    const served = (j: Report): number => (j.primary?.requests ?? 0) + (j.staging?.requests ?? 0);
    const before = served(read());
    // 20 new viewers of the sticky site (the alias localhost; no cookie, so each draws).
    for (let i = 0; i < 20; i++) {
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const req = request(
          { host: "127.0.0.1", port: run.ports.port, path: `/metrics-${i}`, headers: { host: "localhost" } },
          (res) => res.resume().on("end", () => resolve(res.statusCode)),
        );
        req.on("error", reject).end();
      });
      expect(status).toBe(200);
    }
    // They reach the store within METRICS_FLUSH_S (10 s under npm start); polled for a while longer on a busy box.
    const deadline = Date.now() + 30_000;
    let after = read();
    while (served(after) < before + 20 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      after = read();
    }
    expect(served(after)).toBeGreaterThanOrEqual(before + 20);
    // The Prometheus text counts the same two distributions (its counters are cumulative: at least as many).
    const ids = [/distributions\/(E\w+)\/metrics/.exec(report)?.[1], after.stagingDistributionId];
    expect(ids.every((id) => typeof id === "string" && id !== "")).toBe(true);
    const text = execute("sh", prometheus);
    expect(text.status, text.stderr).toBe(0);
    const total = text.stdout
      .split("\n")
      .filter((l) => ids.some((id) => l.startsWith(`splitfront_requests_total{distribution_id="${id}",`)))
      .reduce((n, l) => n + Number(l.split(" ").at(-1)), 0);
    expect(total).toBeGreaterThanOrEqual(served(after));
  }, 60_000);

  it("logged nothing per request (quiet by default)", () => {
    const out = run.output();
    expect(out).not.toMatch(/\[wrangler:info\]|"requestId"|GET \//);
    expect(out).not.toContain("NodeVersionSupportWarning");
  });

  it("stops everything it started on SIGTERM to npm's PID, and frees every port", async () => {
    expect(run.seen().some((p) => p.cmd.includes("workerd"))).toBe(true);
    const result = await stopAndCheck(run, "SIGTERM");
    expect(result.left).toEqual([]);
    expect(result.taken).toEqual([]);
    expect(result.exit.signal ?? result.exit.code).toBe("SIGTERM");
  });
});
