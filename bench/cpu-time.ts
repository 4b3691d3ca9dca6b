/**
 * CPU time of a process, read from /proc (Linux): user + system time of all its threads. Throughput on two shared
 * cores swings 2x between rounds; the CPU a worker's process spends per request barely moves, so it is the figure
 * that prices a hot-path change. Elsewhere than Linux the figures are absent (null).
 */
import { readdirSync, readFileSync } from "node:fs";

// USER_HZ is 100 on every Linux the project runs on (getconf CLK_TCK).
const TICK_US = 10_000;

/** User + system CPU of `pid` in microseconds, or null when /proc is not there (or the process has gone). */
export function cpuMicros(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may contain spaces: count fields after the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of the whole line, so 12 and 13 after the name.
  return (Number(fields[11]) + Number(fields[12])) * TICK_US;
}

/** Pids of this process's children whose command is `comm` (e.g. the workerd Miniflare spawned). */
export function childPids(comm: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (name === comm && ppid === process.pid) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}
