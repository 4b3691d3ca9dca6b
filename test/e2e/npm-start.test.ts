/**
 * `npm start` stops everything it started (npm's child, wrangler's CLI, esbuild, workerd, the demo origins) on
 * SIGINT or SIGTERM sent to npm's own PID, as a service manager, a script or an IDE sends them (not only a
 * terminal's Ctrl-C to the whole process group), whether the demo is up or still starting, and leaves no port
 * taken. The README test (readme.test.ts) stops its run with SIGTERM; these cover SIGINT, a signal during start-up,
 * the verbose mode and the start-up errors a person meets first.
 */
import { createServer } from "node:net";
import { afterEach, expect, it } from "vitest";
import { type NpmStart, npmStart, stopAndCheck } from "./helpers/npm-start.js";

const runs: NpmStart[] = [];
afterEach(async () => {
  for (const r of runs.splice(0)) await r.cleanup();
});

async function started(args: string[] = [], env: Record<string, string> = {}): Promise<NpmStart> {
  const run = await npmStart(args, env);
  runs.push(run);
  return run;
}

it("--verbose logs each request; SIGINT to npm's PID then stops everything and frees every port", async () => {
  const run = await started(["--verbose"]);
  await run.waitFor("Ctrl-C");
  const res = await fetch(`http://localhost:${run.ports.port}/`);
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  // wrangler's line for the request and the demo's access-log record (its distributions enable Logging).
  await run.waitFor("GET / 200", 10_000);
  await run.waitFor('"requestId"', 10_000);
  // The readiness probe reads the landing page: no 403 in the log.
  expect(run.output()).not.toContain("403 Forbidden");

  const result = await stopAndCheck(run, "SIGINT");
  expect(result.left).toEqual([]);
  expect(result.taken).toEqual([]);
  expect(result.exit.signal ?? result.exit.code).toBe("SIGINT");
});

it("stops everything on SIGINT while still starting (workerd up, the demo not yet seeded)", async () => {
  const run = await started();
  const deadline = Date.now() + 60_000;
  while (!run.seen().some((p) => p.cmd.includes("workerd")) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(run.seen().some((p) => p.cmd.includes("workerd"))).toBe(true);
  const result = await stopAndCheck(run, "SIGINT");
  expect(result.left).toEqual([]);
  expect(result.taken).toEqual([]);
  expect(run.output()).not.toContain("Error");
});

it("says which port is taken and how to choose others, leaving nothing behind", async () => {
  const blocker = createServer();
  const run = await started();
  // Taken after npmStart chose the ports, before wrangler gets to it.
  await new Promise<void>((resolve) => blocker.listen(run.ports.inspector, "127.0.0.1", resolve));
  try {
    const exit = await run.exited;
    expect(exit.code).toBe(1);
    expect(run.output()).toContain(`Port ${run.ports.inspector} is already in use`);
    expect(run.output()).toContain("PORT=8797");
    expect(run.seen().filter((p) => p.cmd.includes("workerd") || p.cmd.includes("wrangler"))).toEqual([]);
  } finally {
    await new Promise((r) => blocker.close(r));
  }
});

it("refuses a PORT that is not a port number, clearly", async () => {
  const run = await started([], { PORT: "eighty" });
  const exit = await run.exited;
  expect(exit.code).toBe(1);
  expect(run.output()).toContain("PORT=eighty is not a port number (1-65535)");
});
