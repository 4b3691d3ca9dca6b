/**
 * A child process run in its own process group, so that one signal reaches everything it starts (wrangler's CLI
 * starts another Node process, esbuild and workerd) whoever signalled us, and stopping it leaves nothing behind:
 * SIGINT to the group (what a terminal's Ctrl-C would send), then SIGKILL to whatever is left after a grace period.
 */
import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";

export interface GroupProcess {
  child: ChildProcess;
  /** Settles once no process of the group is left. Safe to call more than once. */
  stop(graceMs?: number): Promise<void>;
  /** Synchronous last resort for `process.on("exit")`: SIGKILL to the whole group. */
  killNow(): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether any process of the group `pgid` is still alive (a zombie counts until its parent reaps it). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits up to `ms` for the group to be empty; whether it is. */
async function gone(pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (groupAlive(pgid)) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is gone already.
  }
}

export function spawnGroup(command: string, args: string[], options: SpawnOptions): GroupProcess {
  // detached: the child leads a new process group (and gets no terminal signals of its own: we pass them on).
  const child = spawn(command, args, { ...options, detached: true });
  const pgid = child.pid;
  let stopping: Promise<void> | undefined;
  // Once the group is known to be gone its id may be reused: never signal it again.
  let stopped = false;
  const stop = (graceMs = 10_000): Promise<void> => {
    if (pgid === undefined) return Promise.resolve();
    stopping ??= (async () => {
      signalGroup(pgid, "SIGINT");
      if (!(await gone(pgid, graceMs))) {
        signalGroup(pgid, "SIGKILL");
        // Bounded: an orphan's zombie stays in the group until whatever adopted it reaps it.
        await gone(pgid, 2_000);
      }
      stopped = true;
    })();
    return stopping;
  };
  return {
    child,
    stop,
    killNow: () => {
      if (pgid !== undefined && !stopped) signalGroup(pgid, "SIGKILL");
    },
  };
}
