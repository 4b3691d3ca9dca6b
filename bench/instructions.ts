/**
 * `npm run bench:instructions [-- scenario[@bundle.js],... [requests]]`: CPU instructions per request that workerd
 * executes for each scenario, counted by valgrind's callgrind. Instructions do not move with the machine's load the
 * way requests/s and CPU time do (2 shared cores swing those 2x between rounds), so this is the figure that prices
 * a hot-path change to within about 1 %: each scenario runs in a fresh workerd under callgrind, gets 2,000 warm-up
 * requests, then the counters are zeroed, `requests` requests (default 1,000) are sent over 4 connections, and the
 * count is dumped. Slow (about a minute per scenario) and Linux-only; needs valgrind (Debian: valgrind).
 *
 * `sf-header@.wrangler/variants/x/index.js` measures a scenario against another splitfront bundle (e.g. a patched
 * copy built with `npx wrangler deploy <entry> --dry-run --outdir <dir>`), to price one change at a time.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { unstable_readConfig } from "wrangler";
import { baselineWorker, buildSplitfront, repoRoot } from "./build.js";
import { benchRecords } from "./edge-records.js";
import { startWorker, type WorkerSpec } from "./instances.js";
import { runLoad } from "./load.js";
import { startOrigin } from "./origin.js";
import { prepare, SCENARIOS, type TargetName } from "./scenarios.js";
import { TEST_SECRETS } from "./secrets.js";

const specs = (process.argv[2] ?? "passthrough,naive-ab,sf-header,sf-sticky,sf-new-viewer").split(",");
const requests = Number(process.argv[3] ?? 1000);
const WARMUP = 2000;

if (spawnSync("valgrind", ["--version"]).status !== 0) {
  console.error("valgrind is not installed (Debian: apt-get install valgrind)");
  process.exit(2);
}

// Miniflare starts whatever MINIFLARE_WORKERD_PATH names: a wrapper that runs workerd under callgrind.
const workdir = mkdtempSync(join(tmpdir(), "splitfront-callgrind-"));
const workerdBin = join(
  dirname(createRequire(import.meta.url).resolve("@cloudflare/workerd-linux-64/package.json")),
  "bin",
  "workerd",
);
const wrapper = join(workdir, "workerd");
writeFileSync(
  wrapper,
  `#!/bin/sh\nexec valgrind --tool=callgrind --smc-check=all-non-file --callgrind-out-file=${workdir}/cg.%p.out ${workerdBin} "$@"\n`,
);
chmodSync(wrapper, 0o755);
process.env.MINIFLARE_WORKERD_PATH = wrapper;

const files = (prefix: string) => readdirSync(workdir).filter((f) => f.startsWith(prefix));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const bundle = buildSplitfront();
const origin = await startOrigin();
const vars = unstable_readConfig({ config: `${repoRoot}wrangler.toml` }).vars as Record<string, string>;
const rows: string[] = [];
let baseline: number | null = null;
try {
  for (const spec of specs) {
    const [id = "", script = bundle.scriptPath] = spec.split("@");
    const scenario = SCENARIOS.find((s) => s.id === id && s.target !== "origin");
    if (scenario === undefined) throw new Error(`no worker scenario ${id}`);
    if (!existsSync(script)) throw new Error(`no bundle at ${script}`);
    const splitfront = scenario.target.startsWith("splitfront");
    const workerSpec: WorkerSpec = splitfront
      ? {
          scriptPath: script,
          bindings: {
            ...vars,
            ...TEST_SECRETS,
            ...(scenario.target === "splitfront-log" ? { ACCESS_LOG: "all" } : {}),
          },
          splitfront: true,
        }
      : {
          scriptPath: baselineWorker(scenario.target === "naive" ? "naive-ab" : "passthrough"),
          bindings: {
            ORIGIN: `http://127.0.0.1:${origin.primary}`,
            PRIMARY: `http://127.0.0.1:${origin.primary}`,
            STAGING: `http://127.0.0.1:${origin.staging}`,
          },
          splitfront: false,
        };
    for (const f of files("cg.")) rmSync(join(workdir, f));
    const inst = await startWorker(workerSpec);
    const pid = Number(files("cg.")[0]?.split(".")[1]);
    try {
      if (splitfront) {
        const kv = await inst.mf.getKVNamespace("EDGE_CONFIG");
        for (const [key, record] of benchRecords(origin)) await kv.put(key, JSON.stringify(record));
      }
      const urls = Object.fromEntries(
        (["origin", "passthrough", "naive", "splitfront", "splitfront-log", "splitfront-b"] as TargetName[]).map(
          (t) => [t, inst.url],
        ),
      ) as Record<TargetName, string>;
      const sc = await prepare(scenario, {
        urls,
        sessionCookieName: vars.SESSION_COOKIE_NAME ?? "",
        naiveCookieName: "ab-group",
      });
      if (sc.problem !== null) throw new Error(`${spec}: ${sc.problem}`);
      // autocannon needs at least as many requests as connections.
      const load = (amount: number) =>
        runLoad({ url: sc.url, headers: sc.sendHeaders, connections: Math.min(4, amount), durationS: 60, amount });
      await load(WARMUP);
      execFileSync("callgrind_control", ["--zero", String(pid)], { stdio: "ignore" });
      const r = await load(requests);
      execFileSync("callgrind_control", ["--dump", String(pid)], { stdio: "ignore" });
      // callgrind acts on a command when the process next runs code: nudge it with single requests.
      let dumps: string[] = [];
      for (let i = 0; i < 50 && dumps.length === 0; i++) {
        await load(1);
        await sleep(200);
        dumps = files(`cg.${pid}.out.`);
      }
      await sleep(500);
      const dump = dumps[0];
      if (dump === undefined) throw new Error(`${spec}: callgrind wrote no dump`);
      const total = Number(/^totals:\s+(\d+)/m.exec(readFileSync(join(workdir, dump), "utf8"))?.[1] ?? Number.NaN);
      const perRequest = total / r.requests;
      baseline ??= perRequest;
      const line = `${spec.padEnd(40)} ${(perRequest / 1000).toFixed(1).padStart(8)}k  ${(perRequest / baseline).toFixed(2)}x  (${r.requests} requests, ${r.errors} errors)`;
      console.log(line);
      rows.push(line);
    } finally {
      await inst.stop();
    }
  }
} finally {
  origin.stop();
  rmSync(workdir, { recursive: true, force: true });
}
console.log(`\ninstructions per request in workerd (x = against ${specs[0]}):\n${rows.join("\n")}`);
