/**
 * One load round: the autocannon CLI in its own process (so the generator has an event loop to itself), JSON
 * out, reduced to the figures the report needs. autocannon records latency in whole milliseconds, so p50/p99
 * have 1 ms resolution.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { cpuMicros } from "./cpu-time.js";

export interface LoadTarget {
  url: string;
  headers: Record<string, string>;
  connections: number;
  durationS: number;
  /** Fixed offered load in requests/s over all connections (autocannon -R); absent = as fast as possible. */
  rate?: number;
  /** The worker's workerd process: its CPU time over the round is divided by the requests served. */
  pid?: number | null;
  /** Stop after this many requests instead of after durationS. */
  amount?: number;
}

export interface LoadResult {
  /** Mean requests per second over the round. */
  rps: number;
  p50: number;
  p99: number;
  meanLatency: number;
  requests: number;
  /** Socket errors, timeouts and non-2xx responses together. */
  errors: number;
  /** CPU time (user + system) the worker's workerd spent per request, in microseconds; null if not measured. */
  cpuUs: number | null;
}

interface AutocannonJson {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

const autocannonBin = createRequire(import.meta.url).resolve("autocannon/autocannon.js");

export function runLoad(target: LoadTarget): Promise<LoadResult> {
  const args = [autocannonBin, "-j", "-n", "-c", String(target.connections), "-d", String(target.durationS)];
  if (target.rate !== undefined) args.push("-R", String(target.rate));
  if (target.amount !== undefined) args.push("-a", String(target.amount));
  for (const [name, value] of Object.entries(target.headers)) args.push("-H", `${name}:${value}`);
  args.push(target.url);
  const pid = target.pid ?? null;
  const cpuBefore = pid === null ? null : cpuMicros(pid);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) {
        reject(new Error(`autocannon exited with ${code}: ${err.trim()}`));
        return;
      }
      try {
        const r = JSON.parse(out) as AutocannonJson;
        const cpuAfter = pid === null ? null : cpuMicros(pid);
        const cpuUs =
          cpuBefore === null || cpuAfter === null || r.requests.total === 0
            ? null
            : (cpuAfter - cpuBefore) / r.requests.total;
        resolve({
          rps: r.requests.average,
          p50: r.latency.p50,
          p99: r.latency.p99,
          meanLatency: r.latency.average,
          requests: r.requests.total,
          errors: r.errors + r.timeouts + r.non2xx,
          cpuUs,
        });
      } catch (e) {
        reject(new Error(`autocannon output was not JSON: ${String(e)}: ${out.slice(0, 200)}`));
      }
    });
  });
}
