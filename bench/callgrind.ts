/**
 * workerd under valgrind's callgrind, through Miniflare: `useCallgrind()` points MINIFLARE_WORKERD_PATH at a
 * wrapper, so the next workerd Miniflare starts runs under callgrind; `count()` zeroes its counters, runs the load,
 * and returns the instructions executed meanwhile. Instruction counts do not move with the machine's load the way
 * requests/s and CPU time do, which makes them the figure to price hot-path changes with on a shared box.
 * Linux-only; needs valgrind (Debian: valgrind).
 *
 * workerd gets V8's `--no-concurrent-recompilation` (BENCH_V8_FLAGS; empty: none) through its config
 * (bench/v8-flags.mjs): under valgrind the optimising compilers' background jobs never get their code installed, so
 * every function would stay in V8's interpreter or baseline tier, where at real speed the hot ones run optimised
 * (Maglev, TurboFan). Compiled on the main thread instead, they tier up as they do at real speed.
 *
 * With BENCH_CALLGRIND_KEEP=<dir>, each counted dump is kept there as `<name>.callgrind.out`, for
 * `callgrind_annotate --inclusive=yes <file>`: workerd is not stripped, so the runtime's own functions (Headers::set,
 * Request::constructor, ...) show with their inclusive costs; JIT-compiled JavaScript shows as unnamed addresses.
 */
import { execFileSync, spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface Callgrind {
  /** The pid of the workerd started since the last call (each instance writes cg.<pid>.out at start). */
  newestPid(): number;
  /**
   * Zeroes `pid`'s counters, awaits `load`, and returns the instructions executed since. `name` names the kept
   * dump (BENCH_CALLGRIND_KEEP).
   */
  count(pid: number, load: () => Promise<void>, nudge: () => Promise<void>, name?: string): Promise<number>;
  dispose(): void;
}

const V8_FLAGS_SCRIPT = fileURLToPath(new URL("./v8-flags.mjs", import.meta.url));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function useCallgrind(): Callgrind {
  if (spawnSync("valgrind", ["--version"]).status !== 0) {
    throw new Error("valgrind is not installed (Debian: apt-get install valgrind)");
  }
  const workdir = mkdtempSync(join(tmpdir(), "splitfront-callgrind-"));
  const workerdBin = join(
    dirname(createRequire(import.meta.url).resolve("@cloudflare/workerd-linux-64/package.json")),
    "bin",
    "workerd",
  );
  const wrapper = join(workdir, "workerd");
  const flags = (process.env.BENCH_V8_FLAGS ?? "--no-concurrent-recompilation").split(" ").filter(Boolean);
  // Miniflare writes the config to workerd's stdin; with flags it passes through v8-flags.mjs on the way.
  const config = flags.length === 0 ? "" : ` < <(${process.execPath} ${V8_FLAGS_SCRIPT} ${flags.join(" ")})`;
  writeFileSync(
    wrapper,
    `#!/bin/bash\nexec valgrind --tool=callgrind --smc-check=all-non-file --callgrind-out-file=${workdir}/cg.%p.out ${workerdBin} "$@"${config}\n`,
  );
  chmodSync(wrapper, 0o755);
  process.env.MINIFLARE_WORKERD_PATH = wrapper;
  const files = (prefix: string) => readdirSync(workdir).filter((f) => f.startsWith(prefix));
  const seen = new Set<number>();

  return {
    newestPid() {
      const pids = files("cg.").map((f) => Number(f.split(".")[1]));
      const pid = pids.find((p) => !seen.has(p));
      if (pid === undefined) throw new Error("no new workerd under callgrind");
      seen.add(pid);
      return pid;
    },
    async count(pid, load, nudge, name = String(pid)) {
      for (const f of files(`cg.${pid}.out.`)) rmSync(join(workdir, f));
      execFileSync("callgrind_control", ["--zero", String(pid)], { stdio: "ignore" });
      await load();
      execFileSync("callgrind_control", ["--dump", String(pid)], { stdio: "ignore" });
      // callgrind acts on a command when the process next runs code: nudge it with single requests.
      let dumps: string[] = [];
      for (let i = 0; i < 50 && dumps.length === 0; i++) {
        await nudge();
        await sleep(200);
        dumps = files(`cg.${pid}.out.`);
      }
      await sleep(500);
      const dump = dumps[0];
      if (dump === undefined) throw new Error(`callgrind wrote no dump for ${pid}`);
      const keep = process.env.BENCH_CALLGRIND_KEEP;
      if (keep !== undefined && keep !== "") {
        mkdirSync(keep, { recursive: true });
        copyFileSync(join(workdir, dump), join(keep, `${name.replace(/[^\w.-]+/g, "_")}.callgrind.out`));
      }
      return Number(/^totals:\s+(\d+)/m.exec(readFileSync(join(workdir, dump), "utf8"))?.[1] ?? Number.NaN);
    },
    dispose() {
      rmSync(workdir, { recursive: true, force: true });
    },
  };
}
