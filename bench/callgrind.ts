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
 * (Maglev, TurboFan). Compiled on the main thread instead, they tier up as they do at real speed. `--expose-gc`
 * is always added, for the scavenges `count()` forces through a `settle` step (bench/instructions.ts).
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
   * Zeroes `pid`'s counters, awaits `load`, and returns the instructions executed since, and how many of them ran
   * off a request's path (OFF_PATH). `name` names the kept dump (BENCH_CALLGRIND_KEEP).
   */
  count(
    pid: number,
    load: () => Promise<void>,
    nudge: () => Promise<void>,
    name?: string,
    settle?: Settle,
  ): Promise<Counted>;
  dispose(): void;
}

export interface Counted {
  instructions: number;
  /**
   * Instructions in a major garbage collection (V8's marking and compaction, cppgc's marking and sweeping of the
   * runtime's C++ objects) or an optimising compile (Maglev, TurboFan), finalizers and callees included.
   */
  offPath: number;
  /** Instructions in garbage collection of any kind (GC), callees included: scavenges and major collections. */
  gc: number;
}

/**
 * Run before the counters are zeroed and again after the load, before the dump: bench:instructions forces a
 * scavenge there, so that a window starts with an empty young generation and ends having collected what its own
 * requests left (see bench/instructions.ts).
 */
export type Settle = () => Promise<void>;

/**
 * What runs off a request's path at real speed, or once in thousands of requests, by function name: a major
 * collection (under callgrind its sweep, sliced by wall-clock deadlines, is slowed ~50x: bench/README.md, "Session
 * 6"), and an optimising compile (on V8's background threads at real speed; here on the main thread, or its code
 * would never be installed). A scavenge, which follows allocation request by request, matches none of them.
 */
export const OFF_PATH =
  /MarkCompactCollector|IncrementalMarking|ConcurrentMarking|MarkingVisitor|MarkingBarrier|cppgc::internal::.*(?:Sweep|Mark)|Compiler::CompileOptimized|maglev::MaglevCompiler/;

/**
 * Garbage collection by function name: V8's collections on the main thread (a scavenge and the runtime's GC
 * epilogue, which frees the C++ objects of the wrappers that died: most of a scavenge's cost) and a parallel
 * scavenge's work on V8's worker threads. Whole names only: a lambda inside CollectGarbage, called through a
 * helper that does not match, must not count again.
 */
export const GC = /^v8::internal::(?:Heap::CollectGarbage|ScavengerJobTask::Run)\([^)]*\)$/;

/**
 * The inclusive cost of the functions of a callgrind dump whose name matches `pattern`: every call into one of them
 * from a function that does not match (so nothing is counted twice), with everything it called.
 */
export function inclusiveCostOf(dump: string, pattern: RegExp): number {
  const names = new Map<string, string>();
  let caller = false;
  let callee = false;
  let afterCall = false;
  let sum = 0;
  for (const line of dump.split("\n")) {
    const first = line.charCodeAt(0);
    // A cost line: "<position> <instructions>", the position absolute or relative ("+2", "-1", "*"). The one right
    // after `calls=` is the call's inclusive cost.
    if ((first >= 48 && first <= 57) || first === 43 || first === 45 || first === 42) {
      if (afterCall && callee && !caller) sum += Number(line.slice(line.indexOf(" ") + 1));
      afterCall = false;
    } else if (line.startsWith("fn=")) {
      caller = pattern.test(nameOf(line.slice(3), names));
    } else if (line.startsWith("cfn=")) {
      callee = pattern.test(nameOf(line.slice(4), names));
    } else if (line.startsWith("calls=")) {
      afterCall = true;
    }
  }
  return sum;
}

/** "(id) name" defines a compressed name, "(id)" uses it. */
function nameOf(spec: string, names: Map<string, string>): string {
  const close = spec.indexOf(")");
  if (!spec.startsWith("(") || close < 0) return spec;
  const id = spec.slice(1, close);
  const name = spec.slice(close + 2);
  if (name !== "") names.set(id, name);
  return names.get(id) ?? "";
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
  // --expose-gc for the forced scavenges around each window (bench/instructions.ts).
  const flags = [...(process.env.BENCH_V8_FLAGS ?? "--no-concurrent-recompilation").split(" "), "--expose-gc"].filter(
    Boolean,
  );
  // Miniflare writes the config to workerd's stdin; with flags it passes through v8-flags.mjs on the way.
  const config = ` < <(${process.execPath} ${V8_FLAGS_SCRIPT} ${flags.join(" ")})`;
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
    async count(pid, load, nudge, name = String(pid), settle = async () => undefined) {
      const dump = await dumpAfter(pid, load, nudge, name, settle);
      return {
        instructions: Number(/^totals:\s+(\d+)/m.exec(dump)?.[1] ?? Number.NaN),
        offPath: inclusiveCostOf(dump, OFF_PATH),
        gc: inclusiveCostOf(dump, GC),
      };
    },
    dispose() {
      rmSync(workdir, { recursive: true, force: true });
    },
  };

  /** Zeroes `pid`'s counters, awaits `load`, and answers the dump's text. */
  async function dumpAfter(
    pid: number,
    load: () => Promise<void>,
    nudge: () => Promise<void>,
    name: string,
    settle: Settle,
  ): Promise<string> {
    for (const f of files(`cg.${pid}.out.`)) rmSync(join(workdir, f));
    await settle();
    execFileSync("callgrind_control", ["--zero", String(pid)], { stdio: "ignore" });
    await load();
    await settle();
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
    return readFileSync(join(workdir, dump), "utf8");
  }
}
