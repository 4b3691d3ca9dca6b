/**
 * `npx tsx bench/profile.ts [scenario-id] [seconds]`: a V8 CPU profile of splitfront inside workerd while one
 * scenario runs under load (default sf-sticky, 5 s), summarised as the functions with the most self time. The
 * profiler runs over the Miniflare inspector (Profiler domain only, so console output is not shipped to Node).
 * The profile itself goes to bench/results/profile-<scenario>.cpuprofile (open it in Chrome DevTools).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { unstable_readConfig } from "wrangler";
import { buildSplitfront, prebuilt, repoRoot } from "./build.js";
import { seedRecords } from "./edge-records.js";
import { openInspector } from "./inspector.js";
import { startWorker } from "./instances.js";
import { runLoad } from "./load.js";
import { startOrigin } from "./origin.js";
import { prepare, SCENARIOS } from "./scenarios.js";
import { TEST_SECRETS } from "./secrets.js";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
}

const id = process.argv[2] ?? "sf-sticky";
const seconds = Number(process.argv[3] ?? 5);
const scenario = SCENARIOS.find((s) => s.id === id && s.target === "splitfront");
if (scenario === undefined) throw new Error(`no splitfront scenario ${id}`);

// BENCH_SPLITFRONT_SCRIPT profiles a prebuilt bundle (e.g. one with a hot-path change) instead of src/.
const prebuiltScript = process.env.BENCH_SPLITFRONT_SCRIPT ?? "";
const bundle = prebuiltScript === "" ? buildSplitfront() : prebuilt(prebuiltScript);
const origin = await startOrigin();
const vars = unstable_readConfig({ config: `${repoRoot}wrangler.toml` }).vars as Record<string, string>;
const inst = await startWorker({
  scriptPath: bundle.scriptPath,
  bindings: { ...vars, ...TEST_SECRETS },
  splitfront: true,
  inspector: true,
});
try {
  await seedRecords(inst, origin);
  const sc = await prepare(scenario, {
    urlOf: () => inst.url,
    sessionCookieName: vars.SESSION_COOKIE_NAME ?? "",
  });
  if (sc.problem !== null) throw new Error(sc.problem);
  await runLoad({ url: sc.url, headers: sc.sendHeaders, connections: 50, durationS: 1 });

  const session = await openInspector(inst);
  const call = session.call;
  await call("Profiler.enable");
  await call("Profiler.setSamplingInterval", { interval: 100 });
  await call("Profiler.start");
  const load = await runLoad({ url: sc.url, headers: sc.sendHeaders, connections: 50, durationS: seconds });
  const { profile } = (await call("Profiler.stop")) as unknown as { profile: Profile };
  session.close();

  mkdirSync(`${repoRoot}bench/results`, { recursive: true });
  const file = `${repoRoot}bench/results/profile-${id}${prebuiltScript === "" ? "" : "-prebuilt"}.cpuprofile`;
  writeFileSync(file, JSON.stringify(profile));
  console.log(`${id}: ${load.rps.toFixed(0)} req/s while profiling; profile in ${file}`);
  console.log(summarise(profile));
} finally {
  await inst.stop();
  origin.stop();
}

/** Self time per function (by name and line), top 30, as a share of all samples. */
function summarise(profile: Profile): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const counts = new Map<string, number>();
  let total = 0;
  for (const sample of profile.samples ?? []) {
    const node = byId.get(sample);
    if (node === undefined) continue;
    total++;
    const f = node.callFrame;
    const file = f.url.split("/").at(-1) ?? "";
    const name = `${f.functionName || "(anonymous)"} ${file}:${f.lineNumber + 1}`;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 30)
    .map(([name, n]) => `${((100 * n) / total).toFixed(1).padStart(5)}%  ${name}`)
    .join("\n");
}
