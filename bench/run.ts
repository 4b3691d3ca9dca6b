/**
 * `npm run bench`: builds the bundles, runs the micro-benchmarks, starts the origin and the workers in workerd
 * (pass-through, CloudFront-faithful pass-through, naive A/B, splitfront, splitfront with ACCESS_LOG=all, and an
 * optional comparison bundle),
 * drives every scenario in alternating rounds, measures storage calls, cold start, propagation and bundle size,
 * prints the tables and writes bench/results/<timestamp>.json. Knobs: bench/options.ts.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { unstable_readConfig } from "wrangler";
import { baselineWorker, buildCountingEntry, buildSplitfront, prebuilt, repoRoot } from "./build.js";
import { seedRecords } from "./edge-records.js";
import { startWorker, type WorkerInstance, type WorkerSpec } from "./instances.js";
import { runLoad } from "./load.js";
import { runMicro } from "./micro-suite.js";
import { readOptions } from "./options.js";
import { startOrigin } from "./origin.js";
import { type BenchReport, printReport } from "./print.js";
import { runProbes } from "./probe-suite.js";
import { budget, summarise } from "./report.js";
import { runRounds } from "./rounds.js";
import { compareScenarios, type PreparedScenario, prepare, SCENARIOS, type TargetName } from "./scenarios.js";
import { TEST_SECRETS } from "./secrets.js";

const opts = readOptions();
const log = (msg: string) => console.error(`[bench] ${msg}`);
const stops: (() => unknown)[] = [];

async function main(): Promise<void> {
  log("building splitfront and the counting entry (wrangler deploy --dry-run)");
  const bundle = opts.splitfrontScript === "" ? buildSplitfront() : prebuilt(opts.splitfrontScript);
  const counting = buildCountingEntry();
  log(`splitfront bundle: ${bundle.bytes} B, ${bundle.gzipBytes} B gzip`);

  const micro = opts.micro ? await runMicro(opts.microTimeMs, log) : [];

  const origin = await startOrigin();
  stops.push(origin.stop);
  const primaryUrl = `http://127.0.0.1:${origin.primary}`;
  const stagingUrl = `http://127.0.0.1:${origin.staging}`;
  const vars = unstable_readConfig({ config: `${repoRoot}wrangler.toml` }).vars as Record<string, string>;
  const sfBindings: Record<string, string> = { ...vars, ...TEST_SECRETS };
  const seed = (inst: WorkerInstance) => seedRecords(inst, origin);
  const sfSpec: WorkerSpec = { scriptPath: bundle.scriptPath, bindings: sfBindings, splitfront: true };
  const passSpec: WorkerSpec = {
    scriptPath: baselineWorker("passthrough"),
    bindings: { ORIGIN: primaryUrl },
    splitfront: false,
  };

  const pass = await start(passSpec);
  // The limit row: what CloudFront itself must do on the way to the origin (X-Forwarded-For/-Host, read timeout).
  const faithful = await start({ ...passSpec, scriptPath: baselineWorker("cloudfront-passthrough") });
  const naive = await start({
    scriptPath: baselineWorker("naive-ab"),
    bindings: { PRIMARY: primaryUrl, STAGING: stagingUrl },
    splitfront: false,
  });
  const sf = await start(sfSpec);
  await seed(sf);
  const sfLog = await start({ ...sfSpec, bindings: { ...sfBindings, ACCESS_LOG: "all" } });
  await seed(sfLog);
  const sfB = opts.compareScript === "" ? null : await start({ ...sfSpec, scriptPath: opts.compareScript });
  if (sfB !== null) await seed(sfB);
  const workers: Record<Exclude<TargetName, "origin">, WorkerInstance | null> = {
    passthrough: pass,
    faithful,
    naive,
    splitfront: sf,
    "splitfront-log": sfLog,
    "splitfront-b": sfB,
  };
  const urlOf = (t: TargetName) => (t === "origin" ? primaryUrl : (workers[t]?.url ?? ""));
  // The workerd process behind each target, for CPU per request (the origin's own CPU is not counted).
  const pidOf = (t: TargetName) => (t === "origin" ? null : (workers[t]?.pid ?? null));

  const all = [...SCENARIOS, ...(sfB === null ? [] : compareScenarios())];
  const chosen = all.filter(
    (s) => opts.only.length === 0 || opts.only.includes(s.id) || s.id === "passthrough" || s.id === "faithful",
  );
  const prepared: PreparedScenario[] = [];
  for (const sc of chosen) {
    const p = await prepare(sc, {
      urlOf,
      sessionCookieName: sfBindings.SESSION_COOKIE_NAME ?? "",
    });
    if (p.problem !== null) log(`WARNING ${p.id}: ${p.problem}`);
    prepared.push(p);
  }
  const conns = (sc: PreparedScenario) => (sc.load === "cache" ? opts.cacheConnections : opts.connections);
  const target = (sc: PreparedScenario, durationS: number) => ({
    url: sc.url,
    headers: sc.sendHeaders,
    connections: conns(sc),
    durationS,
    pid: pidOf(sc.target),
  });

  if (opts.warmupS > 0) {
    log(`warm-up: ${opts.warmupS} s per scenario`);
    for (const sc of prepared) await runLoad(target(sc, opts.warmupS));
  }
  const results = await runRounds(prepared, opts.rounds, (sc) => target(sc, opts.durationS), log, "throughput");
  const summaries = summarise(prepared, results, conns);

  // Latency at a fixed offered load below every worker's capacity: the added milliseconds per request, without
  // the queueing that dominates p99 at saturation on two cores.
  const latencyIds = /^(passthrough|faithful|naive-ab|sf-(no-policy|header|sticky|new-viewer)(-b)?)$/;
  const latencySet = prepared.filter((sc) => latencyIds.test(sc.id));
  const fixedRate =
    opts.fixedRate === 0
      ? []
      : summarise(
          latencySet,
          await runRounds(
            latencySet,
            opts.rounds,
            (sc) => ({ ...target(sc, opts.durationS), connections: 10, rate: opts.fixedRate }),
            log,
            "fixed-rate",
          ),
          () => 10,
        );
  await Promise.all(Object.values(workers).map((w) => w?.stop()));

  const { counts, cold, propagation } = opts.probes
    ? await runProbes({
        prepared,
        sfSpec,
        passSpec,
        countingScript: counting.scriptPath,
        origin,
        seed,
        start,
        countDurationS: opts.countDurationS,
        coldStarts: opts.coldStarts,
        log,
      })
    : { counts: [], cold: [], propagation: { available: false as const, reason: "skipped (BENCH_PROBES=0)" } };

  const report: BenchReport & { options: typeof opts } = {
    when: new Date().toISOString(),
    machine: { cpus: availableParallelism(), model: cpus()[0]?.model ?? "?", node: process.version },
    options: opts,
    bundle: { bytes: bundle.bytes, gzipBytes: bundle.gzipBytes },
    compareScript: opts.compareScript,
    scenarios: summaries,
    budget: budget(fixedRate),
    fixedRate,
    storageCounts: counts,
    coldStart: cold,
    propagation,
    micro,
  };
  mkdirSync(`${repoRoot}bench/results`, { recursive: true });
  const file = `${repoRoot}bench/results/${report.when.replace(/[:.]/g, "-")}.json`;
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  printReport(report, file);
}

/** Starts a worker whose stop is safe to call twice (once by the run, once by the exit handler). */
async function start(spec: WorkerSpec): Promise<WorkerInstance> {
  const inst = await startWorker(spec);
  let stopped: Promise<void> | null = null;
  const stop = () => {
    stopped ??= inst.stop();
    return stopped;
  };
  stops.push(stop);
  return { ...inst, stop };
}

async function cleanUp(): Promise<void> {
  await Promise.allSettled(stops.map(async (stop) => stop()));
}

try {
  await main();
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
