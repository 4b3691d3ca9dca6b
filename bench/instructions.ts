/**
 * `npm run bench:instructions [-- scenario[@bundle.js],... [requests]]`: CPU instructions per request that workerd
 * executes for each scenario, counted by valgrind's callgrind. Instructions do not move with the machine's load the
 * way requests/s and CPU time do (2 shared cores swing those 2x between rounds), so this is the figure that prices
 * a hot-path change to within a few %: each scenario runs in a fresh workerd under callgrind, gets 10,000 warm-up
 * requests (BENCH_WARMUP_REQUESTS), then the counters are zeroed, `requests` requests (default 3,000, so a major
 * GC is averaged in rather than landing in one short window) are sent over 4 connections, and the count is dumped.
 * The long warm-up matters: V8 tiers functions up on its own schedule, and after 2,000 requests a bundle cut into
 * smaller functions still ran partly in the interpreter (+40k instructions a request, gone after 10,000). Slow
 * (about 3 minutes per scenario) and Linux-only; needs valgrind (Debian: valgrind).
 *
 * `sf-header@.wrangler/variants/x/index.js` measures a scenario against another splitfront bundle (e.g. a patched
 * copy built with `npx wrangler deploy <entry> --dry-run --outdir <dir>`), to price one change at a time.
 */
import { existsSync } from "node:fs";
import { unstable_readConfig } from "wrangler";
import { baselineWorker, buildSplitfront, repoRoot } from "./build.js";
import { useCallgrind } from "./callgrind.js";
import { seedRecords } from "./edge-records.js";
import { startWorker, type WorkerSpec } from "./instances.js";
import { runLoad } from "./load.js";
import { startOrigin } from "./origin.js";
import { table } from "./print.js";
import { prepare, SCENARIOS, type TargetName } from "./scenarios.js";
import { TEST_SECRETS } from "./secrets.js";

const specs = (process.argv[2] ?? "passthrough,faithful,naive-ab,sf-header,sf-sticky,sf-new-viewer").split(",");
const requests = Number(process.argv[3] ?? 3000);
const WARMUP = Number(process.env.BENCH_WARMUP_REQUESTS ?? 10_000);
/** The most requests counted with one returning viewer's cookie (about 40 s under valgrind, inside its minute). */
const SLICE = 1000;
/** `n` requests as slices of at most `size`. */
const sliced = (n: number, size: number): number[] =>
  Array.from({ length: Math.ceil(n / size) }, (_, i) => Math.min(size, n - i * size));
/** Header and sticky mode may execute at most this many times the CloudFront-faithful pass-through's instructions. */
const BUDGET = 1.03;

/** The baseline worker of each non-splitfront target. */
const BASELINES: Partial<Record<TargetName, "passthrough" | "cloudfront-passthrough" | "naive-ab">> = {
  passthrough: "passthrough",
  faithful: "cloudfront-passthrough",
  naive: "naive-ab",
};

const callgrind = useCallgrind();
const bundle = buildSplitfront();
const origin = await startOrigin();
const vars = unstable_readConfig({ config: `${repoRoot}wrangler.toml` }).vars as Record<string, string>;
const measured: { spec: string; id: string; perRequest: number }[] = [];
try {
  for (const spec of specs) {
    const [id = "", given] = spec.split("@");
    const script = given ?? bundle.scriptPath;
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
          scriptPath: given ?? baselineWorker(BASELINES[scenario.target] ?? "passthrough"),
          bindings: {
            ORIGIN: `http://127.0.0.1:${origin.primary}`,
            PRIMARY: `http://127.0.0.1:${origin.primary}`,
            STAGING: `http://127.0.0.1:${origin.staging}`,
          },
          splitfront: false,
        };
    const inst = await startWorker(workerSpec);
    const pid = callgrind.newestPid();
    try {
      if (splitfront) {
        await seedRecords(inst, origin);
      }
      const ready = () =>
        prepare(scenario, { urlOf: () => inst.url, sessionCookieName: vars.SESSION_COOKIE_NAME ?? "" }).then((sc) => {
          if (sc.problem !== null) throw new Error(`${spec}: ${sc.problem}`);
          return sc;
        });
      // autocannon needs at least as many requests as connections.
      const loadWith = (sc: { url: string; sendHeaders: Record<string, string> }, amount: number) =>
        runLoad({ url: sc.url, headers: sc.sendHeaders, connections: Math.min(4, amount), durationS: 60, amount });
      await loadWith(await ready(), WARMUP);
      // A returning viewer's cookie is re-signed on every request once a minute has passed since it was issued (a
      // browser takes the new one; the load never does), and under valgrind the count outlasts that minute. So the
      // viewer is prepared again (a fresh session) before each slice of at most SLICE requests, outside the count.
      const slices = scenario.returningViewer === null ? [requests] : sliced(requests, SLICE);
      let served = 0;
      let total = 0;
      for (const [i, amount] of slices.entries()) {
        const sc = await ready();
        total += await callgrind.count(
          pid,
          async () => {
            const r = await loadWith(sc, amount);
            served += r.requests;
            if (r.errors > 0) throw new Error(`${spec}: ${r.errors} errors under load`);
          },
          async () => {
            await loadWith(sc, 1);
          },
          slices.length === 1 ? spec : `${spec}.${i + 1}`,
        );
      }
      const perRequest = total / served;
      console.log(`${spec.padEnd(40)} ${(perRequest / 1000).toFixed(1).padStart(8)}k`);
      measured.push({ spec, id, perRequest });
    } finally {
      await inst.stop();
    }
  }
} finally {
  origin.stop();
  callgrind.dispose();
}
console.log(`\ninstructions per request in workerd\n${instructionTable(measured)}`);

/**
 * Each row against the three baselines measured in the same run (when they were): the bare pass-through, the
 * CloudFront-faithful pass-through (the limit: header and sticky mode within BUDGET of it) and the naive A/B.
 */
function instructionTable(rows: { spec: string; id: string; perRequest: number }[]): string {
  const of = (id: string) => rows.find((r) => r.id === id && !r.spec.includes("@"))?.perRequest;
  const bases = [
    ["x pass", of("passthrough")],
    ["x faithful", of("faithful")],
    ["x naive", of("naive-ab")],
  ] as const;
  const ratio = (n: number, base: number | undefined) => (base === undefined ? "-" : `${(n / base).toFixed(2)}x`);
  const head = ["scenario", "instructions", ...bases.map(([name]) => name), "budget"];
  const body = rows.map((r) => {
    const limit = of("faithful");
    const judged = /^sf-(header|sticky)$/.test(r.id) && limit !== undefined;
    const verdict = judged ? (r.perRequest <= limit * BUDGET ? "within" : "over") : "";
    return [r.spec, `${(r.perRequest / 1000).toFixed(1)}k`, ...bases.map(([, b]) => ratio(r.perRequest, b)), verdict];
  });
  return table(head, body);
}
