/**
 * Runs a worker bundle in workerd through the Miniflare API (never `wrangler dev`: its inspector proxy makes it
 * ~20x slower). Load goes to a direct socket on the user worker, not Miniflare's entry worker, which would add a
 * hop and a request-log round trip to Node on every request.
 */
import { createWriteStream, readFileSync } from "node:fs";
import { Miniflare } from "miniflare";
import { childPids } from "./cpu-time.js";

export interface WorkerInstance {
  /** http://127.0.0.1:<port> of the worker's own socket. */
  url: string;
  mf: Miniflare;
  /** The workerd process running it (for CPU accounting), or null when it could not be told apart. */
  pid: number | null;
  stop: () => Promise<void>;
}

export interface WorkerSpec {
  scriptPath: string;
  bindings: Record<string, string>;
  /** splitfront needs its KV namespace and Durable Object; the baseline workers need neither. */
  splitfront: boolean;
  /** Open the V8 inspector (bench/profile.ts); off for measurements. */
  inspector?: boolean;
}

export async function startWorker(spec: WorkerSpec): Promise<WorkerInstance> {
  const before = new Set(childPids("workerd"));
  const mf = new Miniflare({
    modules: true,
    scriptPath: spec.scriptPath,
    // The functions sandbox's QuickJS, which wrangler leaves beside the bundle as `<hash>-wasm`.
    modulesRules: [{ type: "CompiledWasm", include: ["**/*-wasm", "**/*.wasm"] }],
    compatibilityDate: "2026-04-26",
    bindings: spec.bindings,
    ...(spec.splitfront
      ? {
          kvNamespaces: ["EDGE_CONFIG"],
          durableObjects: {
            CONTROL_PLANE: { className: "ControlPlane", useSQLite: true },
            // The telemetry store, where the bundle has one (a bundle from before it, measured for a before/after
            // comparison, does not).
            ...(readFileSync(spec.scriptPath, "utf8").includes("MetricsStore")
              ? { METRICS: { className: "MetricsStore", useSQLite: true } }
              : {}),
          },
        }
      : {}),
    cf: false,
    // BENCH_STRIP_CF_CONNECTING_IP=0 sends outbound fetches straight out, as `workerd serve` and Cloudflare do,
    // instead of through Miniflare's in-process worker that removes CF-Connecting-IP (two more header copies).
    stripCfConnectingIp: process.env.BENCH_STRIP_CF_CONNECTING_IP !== "0",
    ...(spec.inspector === true ? { inspectorPort: 0 } : {}),
    host: "127.0.0.1",
    port: 0,
    logRequests: false,
    unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
    // The worker's console.log lines (splitfront's access log) are read and dropped here rather than printed:
    // the cost measured is the worker writing them, not this terminal scrolling. stderr still shows.
    // BENCH_WORKERD_STDOUT=<file> appends them to a file instead, with what V8 prints there (e.g. with
    // BENCH_V8_FLAGS="--no-concurrent-recompilation --trace-opt --trace-deopt" under bench:instructions).
    handleRuntimeStdio(stdout, stderr) {
      const keep = process.env.BENCH_WORKERD_STDOUT;
      if (keep !== undefined && keep !== "") stdout.pipe(createWriteStream(keep, { flags: "a" }));
      else stdout.resume();
      // Not pipe(): every instance would add listeners to process.stderr for the rest of the run.
      stderr.on("data", (chunk: Buffer) => process.stderr.write(chunk));
    },
  });
  await mf.ready;
  const direct = await mf.unsafeGetDirectURL();
  // Instances start one at a time, so the one new workerd child is this instance's.
  const spawned = childPids("workerd").filter((pid) => !before.has(pid));
  const pid = spawned.length === 1 ? (spawned[0] ?? null) : null;
  return { url: direct.origin, mf, pid, stop: () => mf.dispose() };
}
