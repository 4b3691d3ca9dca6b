/**
 * `npm start` as a person runs it, for the end-to-end tests of the front door: the real npm, the real script,
 * wrangler dev, workerd and the demo origins, on free ports and with a state directory of its own. It records every
 * process `npm start` started, so a test can check that a signal to npm's PID leaves none of them and no port
 * taken; whatever a failed test leaves is killed by `cleanup()`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

export interface StartPorts {
  port: number;
  inspector: number;
  primary: number;
  staging: number;
}

/** `n` ports the kernel just handed out as free (listened on together, then released). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const s = createServer();
          s.once("error", reject);
          s.listen(0, "127.0.0.1", () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => {
    const a = s.address();
    if (a === null || typeof a === "string") throw new Error("no port");
    return a.port;
  });
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** Whether 127.0.0.1:`port` can be listened on, i.e. nothing holds it. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
  cmd: string;
}

function readProc(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")".
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
    return { pid, ppid: Number(rest[1]), pgid: Number(rest[2]), state: rest[0] ?? "?", cmd };
  } catch {
    return null;
  }
}

/** Every live process under `root` (not `root` itself). */
export function descendants(root: number): ProcInfo[] {
  const all = readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readProc(Number(d)))
    .filter((p): p is ProcInfo => p !== null);
  const out: ProcInfo[] = [];
  const parents = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all) {
      if (!parents.has(p.pid) && parents.has(p.ppid)) {
        parents.add(p.pid);
        out.push(p);
        grew = true;
      }
    }
  }
  return out;
}

/** Whether the process recorded as `p` still runs (a zombie holds no port and runs nothing: it does not count). */
export function stillRunning(p: ProcInfo): boolean {
  const now = readProc(p.pid);
  return now !== null && now.cmd === p.cmd && now.state !== "Z";
}

function kill(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // gone meanwhile
  }
}

export interface NpmStart {
  child: ChildProcess;
  ports: StartPorts;
  /** Everything printed so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves with the output once `text` appears in it; rejects if npm exits first or after `ms`. */
  waitFor(text: string, ms?: number): Promise<string>;
  /** Every process seen under npm so far (recorded on each call and while waiting). */
  seen(): ProcInfo[];
  /** Resolves with npm's exit code and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills whatever of it is left (after a failed test) and removes its state directory. */
  cleanup(): Promise<void>;
}

/** The environment `npm start` gets: this one's, without what would change its behaviour or its AWS calls. */
function startEnv(ports: StartPorts, stateDir: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === "VERBOSE" || k === "WRANGLER_LOG" || k.startsWith("AWS_")) continue;
    env[k] = v;
  }
  return {
    ...env,
    WRANGLER_SEND_METRICS: "false",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    PORT: String(ports.port),
    INSPECTOR_PORT: String(ports.inspector),
    DEMO_PRIMARY_PORT: String(ports.primary),
    DEMO_STAGING_PORT: String(ports.staging),
    STATE_DIR: stateDir,
    ...extra,
  };
}

export async function npmStart(args: string[] = [], extraEnv: Record<string, string> = {}): Promise<NpmStart> {
  const [port = 0, inspector = 0, primary = 0, staging = 0] = await freePorts(4);
  const ports = { port, inspector, primary, staging };
  const stateDir = mkdtempSync(join(tmpdir(), "splitfront-start-"));
  const child = spawn("npm", ["start", ...(args.length > 0 ? ["--", ...args] : [])], {
    cwd: repoRoot,
    env: startEnv(ports, stateDir, extraEnv),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout?.setEncoding("utf8").on("data", (d: string) => {
    text += d;
  });
  child.stderr?.setEncoding("utf8").on("data", (d: string) => {
    text += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const seen = new Map<number, ProcInfo>();
  const record = () => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    // Overwritten each time: a process recorded between fork and exec still showed its parent's command line.
    for (const p of descendants(child.pid)) seen.set(p.pid, p);
  };
  const waitFor = async (needle: string, ms = 120_000): Promise<string> => {
    const deadline = Date.now() + ms;
    let done = false;
    void exited.then(() => {
      done = true;
    });
    while (!text.includes(needle)) {
      record();
      if (done) throw new Error(`npm start ended before printing "${needle}":\n${text}`);
      if (Date.now() > deadline) throw new Error(`npm start did not print "${needle}" within ${ms} ms:\n${text}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    record();
    return text;
  };
  return {
    child,
    ports,
    output: () => text,
    waitFor,
    seen: () => {
      record();
      return [...seen.values()];
    },
    exited,
    cleanup: async () => {
      record();
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      // Process groups of their own (wrangler's) go whole: members may have been born after the last record.
      const ownGroup = readProc(process.pid)?.pgid;
      const targets = [...seen.values()].filter(stillRunning);
      for (const pgid of new Set(targets.map((p) => p.pgid))) if (pgid !== ownGroup) kill(-pgid);
      for (const p of targets) kill(p.pid);
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/**
 * Sends `signal` to npm's PID and checks what a service manager relies on: npm ends, no process it started is
 * left, and every port is free. Returns what is left, for the assertion's message.
 */
export async function stopAndCheck(
  run: NpmStart,
  signal: NodeJS.Signals,
): Promise<{ exit: { code: number | null; signal: NodeJS.Signals | null }; left: string[]; taken: number[] }> {
  const before = run.seen();
  run.child.kill(signal);
  const exit = await Promise.race([
    run.exited,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`npm did not end within 30 s of ${signal}`)), 30_000),
    ),
  ]);
  // The processes npm started end with it or just after (wrangler's group is stopped before npm's child exits).
  const deadline = Date.now() + 5_000;
  let left = before.filter(stillRunning);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    left = before.filter(stillRunning);
  }
  const ports = Object.values(run.ports);
  const free = await Promise.all(ports.map(portIsFree));
  return {
    exit,
    left: left.map((p) => `${p.pid} ${p.cmd}`),
    taken: ports.filter((_, i) => !free[i]),
  };
}
