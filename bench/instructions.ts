/**
 * `npm run bench:instructions [-- scenario[@bundle.js],... [requests]]`: CPU instructions per request that workerd
 * executes for each scenario, counted by valgrind's callgrind. Instructions do not move with the machine's load the
 * way requests/s and CPU time do (2 shared cores swing those 2x between rounds), so this is the figure that prices
 * a hot-path change. Each scenario runs in a fresh workerd under callgrind and gets 10,000 warm-up requests
 * (BENCH_WARMUP_REQUESTS: V8 tiers functions up on its own schedule, and under callgrind only with the V8 flag
 * bench/callgrind.ts passes). Slow (about 8 minutes per splitfront scenario at 6,000 requests) and Linux-only; needs
 * valgrind (Debian: valgrind).
 *
 * What a request costs and what the edge does in the background are counted apart, then added up at a stated
 * traffic rate, because under valgrind workerd serves only ~50-100 requests a second and anything timed (the
 * telemetry flush every METRICS_FLUSH_S, the edge record's KV refresh every 3/4 of CONFIG_MEMO_MS) would otherwise
 * be shared by 20-50x fewer requests than at real speed, and by a different number in every run (that was most of
 * the ±3 % spread between runs of the same build):
 *
 * - **a request**: `requests` requests (default 6,000) over 4 connections, counted in windows of a few seconds
 *   that each end before the isolate's next telemetry flush is due (the window's first request schedules it), with
 *   the record kept in the isolate's memo for the whole run (CONFIG_MEMO_MS of a day), so no window holds either;
 *   the per-request counting of telemetry is in it. A window that may have run into its flush (or had no time
 *   left before it) is not counted, and is started again once that flush has landed.
 *   A request is the mean over the windows **without a major collection or an optimising compile**: every few
 *   thousand requests V8 makes a major collection, and then cppgc sweeps the runtime's dead C++ objects in
 *   idle-time slices, each with a wall-clock deadline, so under callgrind (~50x slower) each slice does ~50x less
 *   and one window holds hundreds of thousands of them (600M instructions and more: bench/README.md, "Session 6");
 *   an optimising compile (20-90M) runs on V8's background threads at real speed, here on the main thread. A
 *   window is left out when more than 1 % of it went to either (by function name in its dump, callees included:
 *   bench/callgrind.ts, OFF_PATH); how many were is printed. Scavenges stay in: they follow allocation, and a
 *   scavenge (~3-14M instructions, most of it the runtime's GC epilogue freeing the C++ objects behind the dead
 *   wrappers: ~30-40 a request, ~1.7k instructions each) comes every ~100 requests. So that a window holds the
 *   collection of its own requests, not a share of its neighbours', a scavenge is forced (V8's `gc()` through the
 *   inspector) before its counters are zeroed and again before its dump; what is collected still varies by window
 *   (some wrappers are freed a scavenge or a major collection later), so the mean over the quiet windows shares
 *   it out, where the median picked one window's count (bench/README.md, "Session 7" and "Session 8"). The share
 *   that went to collecting garbage, the median window and the mean over all windows are printed beside it.
 * - **a flush**: the window after each request window, up to just past that flush: the edge sending its tally
 *   and the MetricsStore Durable Object writing it to SQLite (which on Cloudflare runs in the store's isolate; here
 *   in the same process, so it is counted), averaged over the windows.
 * - **a KV read**: 40 requests to hosts whose records are not yet in the memo (copies of the scenario's record
 *   under other names) against 40 to the scenario's own, one at a time: the difference is one read of the record
 *   from KV and its parse (Miniflare's KV is in the same process, so its work is counted too).
 *
 * The figure a row is judged by is a request (the quiet windows' mean) plus a flush shared by METRICS_FLUSH_S of
 * traffic plus a KV read shared by 3/4 of CONFIG_MEMO_MS of traffic (wrangler.toml's values), at BENCH_REFERENCE_RPS requests a second per
 * isolate (default 200, the fixed rate the latency budget is stated at). The baselines do no background work.
 *
 * `sf-header@.wrangler/variants/x/index.js` measures a scenario against another splitfront bundle (e.g. a patched
 * copy built with `npx wrangler deploy <entry> --dry-run --outdir <dir>`), to price one change at a time.
 */
import { existsSync } from "node:fs";
import { unstable_readConfig } from "wrangler";
import { REFRESH_FROM } from "../src/model/edge-config.js";
import { baselineWorker, buildSplitfront, repoRoot } from "./build.js";
import { type Counted, useCallgrind } from "./callgrind.js";
import { seedAliases, seedRecords } from "./edge-records.js";
import { get } from "./http.js";
import { type InspectorSession, openInspector } from "./inspector.js";
import { startWorker, type WorkerSpec } from "./instances.js";
import { type LoadResult, runLoad } from "./load.js";
import { startOrigin } from "./origin.js";
import { table } from "./print.js";
import { prepare, SCENARIOS, type TargetName } from "./scenarios.js";
import { TEST_SECRETS } from "./secrets.js";

const specs = (process.argv[2] ?? "passthrough,faithful,naive-ab,sf-header,sf-sticky,sf-new-viewer").split(",");
const requests = Number(process.argv[3] ?? 6000);
const WARMUP = Number(process.env.BENCH_WARMUP_REQUESTS ?? 10_000);
/** Header and sticky mode may execute at most this many times the CloudFront-faithful pass-through's instructions. */
const BUDGET = 1.03;
/** The traffic one isolate serves, at which background work is shared out (requests a second). */
const REFERENCE_RPS = Number(process.env.BENCH_REFERENCE_RPS ?? 200);
/** Requests to hosts not yet memoised, and as many to a memoised one, to price a KV read. */
const KV_PRICE_REQUESTS = 40;
/** Time left for a window's last requests and its dump before the flush is due, and for a flush to land. */
const MARGIN_MS = 2500;
const SETTLE_MS = 4000;

/**
 * A window holding more than this share of its instructions in a major collection or an optimising compile is
 * left out of a request's figure (see the top of this file).
 */
const OFF_PATH_SHARE = 0.01;

/** One counted window of requests. */
interface Window {
  instructions: number;
  requests: number;
  /** Instructions in a major collection or an optimising compile (bench/callgrind.ts, OFF_PATH). */
  offPath: number;
  /** Instructions in garbage collection (bench/callgrind.ts, GC). */
  gc: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
const k = (n: number) => `${(n / 1000).toFixed(1)}k`;
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

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
const FLUSH_MS = Number(vars.METRICS_FLUSH_S ?? 10) * 1000;
/** How often a busy isolate reads a host's record again (config-store.ts), in seconds. */
const REFRESH_S = (Number(vars.CONFIG_MEMO_MS ?? 5000) * REFRESH_FROM) / 1000;
const measured: Row[] = [];
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
            // The record stays memoised all run: its KV reads are priced on their own (priceKvRead).
            CONFIG_MEMO_MS: String(86_400_000),
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
    const inst = await startWorker({ ...workerSpec, inspector: true });
    const pid = callgrind.newestPid();
    const session = await openInspector(inst);
    const count: Count = (load, nudge, name) => callgrind.count(pid, load, nudge, name, () => scavenge(session));
    try {
      const ready = () =>
        prepare(scenario, { urlOf: () => inst.url, sessionCookieName: vars.SESSION_COOKIE_NAME ?? "" }).then((sc) => {
          if (sc.problem !== null) throw new Error(`${spec}: ${sc.problem}`);
          return sc;
        });
      let aliases: string[] = [];
      if (splitfront) {
        await seedRecords(inst, origin);
        aliases = await seedAliases(inst, origin, scenario.headers.host ?? "", 2 * KV_PRICE_REQUESTS);
        // An unknown host answers the dump nudges of quiet windows (it is never counted in telemetry): memoise it.
        await quiet(inst.url)();
      }
      // autocannon needs at least as many requests as connections.
      const load: Load = (sc, amount, durationS = 60) =>
        runLoad({
          url: sc.url,
          headers: sc.sendHeaders,
          connections: Math.min(4, amount ?? 4),
          durationS,
          ...(amount === undefined ? {} : { amount }),
        });
      await load(await ready(), WARMUP);
      // Let the warm-up's last telemetry flush land before the first window.
      await sleep(FLUSH_MS + SETTLE_MS);
      const row = await countRequests(spec, count, ready, load, splitfront ? quiet(inst.url) : null);
      const kvRead = splitfront ? await priceKvRead(spec, count, await ready(), aliases) : 0;
      const perRequest = atReferenceRate(row.quiet, row.flush, kvRead);
      console.log(
        `${spec.padEnd(40)} ${k(perRequest).padStart(8)} (a request ${k(row.quiet)}, ${k(row.gc)} of it collecting garbage, over ${row.quietWindows} of ` +
          `${row.windows.length} windows; median window ${k(median(row.windows))}, mean of all ${k(row.perRequest)}; ` +
          `${row.served} counted; a flush ${k(row.flush)}, a KV read ${k(kvRead)})\n` +
          `  windows: ${row.windows.map((w) => (w / 1000).toFixed(0)).join(" ")}`,
      );
      measured.push({
        spec,
        id,
        perRequest,
        request: row.perRequest,
        quiet: row.quiet,
        gc: row.gc,
        median: median(row.windows),
        flush: row.flush,
        kvRead,
      });
    } finally {
      session.close();
      await inst.stop();
    }
  }
} finally {
  origin.stop();
  callgrind.dispose();
}
console.log(`\ninstructions per request in workerd\n${instructionTable(measured)}`);

interface Row {
  spec: string;
  id: string;
  /** What the row is judged by: a request (`quiet`), with background work shared out at REFERENCE_RPS. */
  perRequest: number;
  /** A request alone, over all the windows between flushes (major collections and their sweeps included). */
  request: number;
  /**
   * A request over the windows without a major collection: what a request costs between them, scavenges included.
   * A major collection lands in one window in several thousand requests (a mark-compact and the sweep of the
   * runtime's C++ objects, 100-600M instructions under callgrind, most of it the slowed sweep).
   */
  quiet: number;
  /** The part of `quiet` that went to collecting garbage (scavenges and the runtime's GC epilogue). */
  gc: number;
  /** The median window's figure (the verdict of session 6), for comparison. */
  median: number;
  /** One telemetry flush, edge and store together (0 for the baselines). */
  flush: number;
  /** One read of the host's record from KV (0 for the baselines). */
  kvRead: number;
}

type Prepared = Awaited<ReturnType<typeof prepare>>;
type Load = (sc: Prepared, amount?: number, durationS?: number) => Promise<LoadResult>;
/** callgrind.count() for this row's workerd, each window bracketed by forced scavenges. */
type Count = (load: () => Promise<void>, nudge: () => Promise<void>, name: string) => Promise<Counted>;

/** A scavenge of the worker's isolate, now (V8's `gc()`, there with --expose-gc: bench/callgrind.ts). */
async function scavenge(session: InspectorSession): Promise<void> {
  await session.evaluate('gc({ type: "minor" })');
}

/** A request plus its share of one flush per METRICS_FLUSH_S and one KV read per refresh period, at REFERENCE_RPS. */
function atReferenceRate(request: number, flush: number, kvRead: number): number {
  return request + flush / ((REFERENCE_RPS * FLUSH_MS) / 1000) + kvRead / (REFERENCE_RPS * REFRESH_S);
}

/** A request the edge answers without counting it in telemetry (an unknown host's 404), to nudge a dump. */
function quiet(url: string): () => Promise<void> {
  return () => get(`${url}/`, { host: "nudge.invalid" }).then(() => undefined);
}

/**
 * `requests` requests in windows that each end before the flush their first request scheduled (see the top of
 * this file), and, for splitfront (`nudge` given), each flush in a window of its own.
 */
async function countRequests(
  spec: string,
  count: Count,
  ready: () => Promise<Prepared>,
  load: Load,
  nudge: (() => Promise<void>) | null,
): Promise<{
  perRequest: number;
  quiet: number;
  quietWindows: number;
  /** Of `quiet`, the instructions in garbage collection. */
  gc: number;
  flush: number;
  served: number;
  windows: number[];
}> {
  let served = 0;
  let total = 0;
  let flushes = 0;
  let windows = 0;
  const perWindow: Window[] = [];
  while (served < requests) {
    const start = Date.now();
    // The scenario's first request schedules the isolate's next flush, FLUSH_MS after it (the last one has landed).
    const sc = await ready();
    const readyAt = Date.now();
    // A baseline schedules no flush: its windows are as long as splitfront's at most.
    const seconds = Math.floor(((nudge === null ? readyAt : start) + FLUSH_MS - MARGIN_MS - readyAt) / 1000);
    if (seconds < 1) {
      // Preparing outlasted the window (a major collection's sweep can stall workerd for seconds under callgrind):
      // let that flush land, and start the window again.
      console.error(`${spec}: preparing took ${readyAt - start} ms, no time left before the flush: window retried`);
      await sleep(start + FLUSH_MS + SETTLE_MS - Date.now());
      continue;
    }
    windows++;
    let loadedAt = 0;
    let windowServed = 0;
    const counted = await count(
      async () => {
        const r = await load(sc, undefined, seconds);
        loadedAt = Date.now();
        windowServed = r.requests;
        if (r.errors > 0) throw new Error(`${spec}: ${r.errors} errors under load`);
      },
      () => load(sc, 1).then(() => undefined),
      `${spec}.${windows}`,
    );
    if (nudge !== null && loadedAt > start + FLUSH_MS - 500) {
      // The machine was too busy: the window may hold the flush. Not counted; started again once it has landed.
      console.error(`${spec}: window ${windows} may hold a telemetry flush: window retried`);
      windows--;
      await sleep(start + FLUSH_MS + SETTLE_MS - Date.now());
      continue;
    }
    total += counted.instructions;
    served += windowServed;
    perWindow.push({ ...counted, requests: windowServed });
    if (nudge === null) continue;
    flushes += (
      await count(() => sleep(readyAt + FLUSH_MS + SETTLE_MS - Date.now()), nudge, `${spec}.flush.${windows}`)
    ).instructions;
  }
  const quiet = perWindow.filter((w) => w.offPath < OFF_PATH_SHARE * w.instructions);
  const sum = (ws: Window[], of: (w: Window) => number) => ws.reduce((n, w) => n + of(w), 0);
  return {
    perRequest: total / served,
    quiet: sum(quiet, (w) => w.instructions) / sum(quiet, (w) => w.requests),
    quietWindows: quiet.length,
    gc: sum(quiet, (w) => w.gc) / sum(quiet, (w) => w.requests),
    flush: nudge === null ? 0 : flushes / windows,
    served,
    windows: perWindow.map((w) => w.instructions / w.requests),
  };
}

/**
 * One KV read of the scenario's record: KV_PRICE_REQUESTS requests, one at a time, to hosts not memoised yet,
 * less as many to the scenario's own host. The first half of `aliases` warms the miss path up uncounted. Each
 * window starts after the last flush landed and ends before the next is due.
 */
async function priceKvRead(spec: string, count: Count, sc: Prepared, aliases: string[]): Promise<number> {
  const own = sc.sendHeaders.host ?? "";
  const one = async (host: string) => {
    const r = await get(sc.url, { ...sc.sendHeaders, host });
    if (r.status !== 200) throw new Error(`${spec}: ${host} answered ${r.status}`);
  };
  const inTurn = async (hosts: string[]) => {
    const start = Date.now();
    for (const host of hosts) await one(host);
    if (Date.now() > start + FLUSH_MS - 500) throw new Error(`${spec}: KV pricing outlasted a flush period: run again`);
  };
  const warm = aliases.slice(0, KV_PRICE_REQUESTS);
  const fresh = aliases.slice(KV_PRICE_REQUESTS, 2 * KV_PRICE_REQUESTS);
  await sleep(FLUSH_MS + SETTLE_MS);
  await inTurn(warm);
  await sleep(FLUSH_MS + SETTLE_MS);
  const memoised = await count(
    () => inTurn(fresh.map(() => own)),
    () => one(own),
    `${spec}.memoised`,
  );
  await sleep(FLUSH_MS + SETTLE_MS);
  const reading = await count(
    () => inTurn(fresh),
    () => one(own),
    `${spec}.kv-read`,
  );
  return (reading.instructions - memoised.instructions) / fresh.length;
}

/**
 * Each row against the three baselines measured in the same run (when they were): the bare pass-through, the
 * CloudFront-faithful pass-through (the limit: header and sticky mode within BUDGET of it) and the naive A/B.
 */
function instructionTable(rows: Row[]): string {
  const of = (id: string) => rows.find((r) => r.id === id && !r.spec.includes("@"))?.perRequest;
  const bases = [
    ["x pass", of("passthrough")],
    ["x faithful", of("faithful")],
    ["x naive", of("naive-ab")],
  ] as const;
  // Three decimals: the budget is 1.03x, and 1.034x is over it.
  const ratio = (n: number, base: number | undefined) => (base === undefined ? "-" : `${(n / base).toFixed(3)}x`);
  const head = [
    "scenario",
    `at ${REFERENCE_RPS} req/s`,
    ...bases.map(([name]) => name),
    "budget",
    "a request",
    "of it GC",
    "median window",
    "mean of all",
    "a flush",
    "a KV read",
  ];
  const body = rows.map((r) => {
    const limit = of("faithful");
    const judged = /^sf-(header|sticky)$/.test(r.id) && limit !== undefined;
    const verdict = judged ? (r.perRequest <= limit * BUDGET ? "within" : "over") : "";
    const background = (n: number) => (n === 0 ? "-" : k(n));
    return [
      r.spec,
      k(r.perRequest),
      ...bases.map(([, b]) => ratio(r.perRequest, b)),
      verdict,
      k(r.quiet),
      k(r.gc),
      k(r.median),
      k(r.request),
      background(r.flush),
      background(r.kvRead),
    ];
  });
  return table(head, body);
}
