/**
 * `npm start`: a working local edge. Starts the two demo origins, runs the worker under `wrangler dev` on
 * 127.0.0.1:$PORT (default 8787), seeds two demo sites through the CloudFront API, and prints what to try.
 * State persists in .wrangler/state between runs; `rm -rf .wrangler/state` starts over.
 *
 * Stopping: SIGINT (Ctrl-C), SIGTERM or SIGHUP to this process stops wrangler, workerd and the demo origins and
 * frees every port, then this process ends by the same signal. The npm script `exec`s this process, so no shell
 * sits between npm and it, and npm passes SIGINT and SIGTERM on: signalling npm's PID works the same.
 * wrangler runs in a process group of its own (scripts/process-group.ts), stopped as a whole.
 *
 * Quiet by default: wrangler logs warnings and errors only (the worker's console.error included), so neither its
 * per-request line nor the worker's console.log (the demo's access log) reaches the terminal.
 * `VERBOSE=1 npm start` or `npm start -- --verbose` brings both back.
 *
 * Environment: PORT (8787), DEMO_PRIMARY_PORT (9101), DEMO_STAGING_PORT (9102), INSPECTOR_PORT (wrangler's
 * devtools inspector, PORT + 1), STATE_DIR (where wrangler keeps local state: .wrangler/state).
 */

import type { Server as HttpServer } from "node:http";
import { createRequire } from "node:module";
import { createServer, type Server } from "node:net";
import { constants } from "node:os";
import { CloudFrontClient, type ContinuousDeploymentPolicyConfig } from "@aws-sdk/client-cloudfront";
import { type DemoSiteInfo, startDemoOrigin } from "./demo-origins.js";
import { type DemoPair, demoSiteInfo, seedDemo } from "./demo-seed.js";
import { type GroupProcess, spawnGroup } from "./process-group.js";

function portFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  const port = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(`${name}=${raw ?? ""} is not a port number (1-65535)`);
  }
  return port;
}

class UsageError extends Error {}

const verbose = process.argv.includes("--verbose") || /^(1|true|yes)$/i.test(process.env.VERBOSE ?? "");
const wranglerBin = createRequire(import.meta.url).resolve("wrangler/bin/wrangler.js");
// Node 20 is this project's runtime (README, toolchain): the SDK's notice about it would only add noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/** Resolves once `port` on 127.0.0.1 could be listened on (and is released again); rejects with EADDRINUSE. */
function ensureFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe: Server = createServer();
    probe.once("error", reject);
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}

async function waitForWorker(worker: GroupProcess, base: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (worker.child.exitCode !== null) throw new Error(`wrangler dev exited with code ${worker.child.exitCode}`);
    try {
      // The landing page: a 200 that proves the worker runs (the API's 403 would show up in a verbose log).
      const res = await fetch(`${base}/`);
      await res.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`the worker did not start listening on ${base} within 60 s`);
}

/** "sticky weight: 10 % of new sessions on staging", from the policy as it is now. */
function describeTraffic(traffic: ContinuousDeploymentPolicyConfig["TrafficConfig"]): string {
  if (traffic?.Type === "SingleHeader") {
    const h = traffic.SingleHeaderConfig;
    return `header routing: requests with ${h?.Header}: ${h?.Value} on staging`;
  }
  const w = traffic?.SingleWeightConfig;
  const share = `${Math.round((w?.Weight ?? 0) * 1000) / 10} %`;
  return w?.SessionStickinessConfig !== undefined
    ? `sticky weight: ${share} of new sessions on staging, for the session's life`
    : `weight: ${share} of requests on staging`;
}

function banner(p: { port: number; primaryPort: number; stagingPort: number; weight: DemoPair; header: DemoPair }) {
  const { port, weight: w, header: h } = p;
  const base = `http://127.0.0.1:${port}`;
  // Lines starting with "$ " are commands, run as printed by test/e2e/npm-start.test.ts.
  return `
splitfront is running: open ${base}/ for the sites, their policies and the API endpoint.
The console: ${base}/_cd/console/ (sign in with access key ID "test", secret access key "test").
Demo origins on :${p.primaryPort} (primary) and :${p.stagingPort} (staging). ${
    verbose ? "Verbose: a log line per request." : "Quiet: VERBOSE=1 npm start logs every request."
  }

1. ${w.host}: ${describeTraffic(w.traffic)}
   (distribution ${w.primaryId}, policy ${w.policyId})
   Open http://${w.host}:${port}/ in a browser, or:
   $ curl -s -c jar -b jar -D - -o /dev/null http://${w.host}:${port}/ | grep -i 'served-by\\|set-cookie'
     (repeat it: the cookie jar keeps the session on its side; delete "jar" for a new draw)
   $ for i in $(seq 100); do curl -s -o /dev/null -D - http://${w.host}:${port}/ | grep -i served-by; done | sort | uniq -c

2. ${h.host}: ${describeTraffic(h.traffic)}
   (distribution ${h.primaryId}, policy ${h.policyId})
   $ curl -s -D - -o /dev/null -H 'aws-cf-cd-demo: staging' http://${h.host}:${port}/ | grep -i served-by
   $ curl -s -D - -o /dev/null http://${h.host}:${port}/ | grep -i served-by

3. Staging is never reachable directly:
   $ curl -s -i http://${w.stagingDomain}:${port}/

4. The CloudFront API, for any AWS tool (access key "test", secret "test", region us-east-1):
   $ AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 \\
       aws cloudfront get-continuous-deployment-policy --id ${w.policyId} --endpoint-url ${base}/_cd

5. Per-arm metrics (a request counts within METRICS_FLUSH_S, 10 s), as JSON (SigV4) and for Prometheus:
   $ curl -s --aws-sigv4 aws:amz:us-east-1:cloudfront --user test:test ${base}/_cd/splitfront/v1/distributions/${w.primaryId}/metrics
   $ curl -s -H 'Authorization: Bearer local-metrics-token' ${base}/_cd/splitfront/v1/metrics

Ctrl-C (or SIGTERM to this process) stops everything.
`;
}

const origins: HttpServer[] = [];
let worker: GroupProcess | undefined;
let stopping: Promise<void> | undefined;

/** Stops wrangler's whole process group and the origins; safe to call more than once. */
function stopAll(): Promise<void> {
  stopping ??= (async () => {
    await worker?.stop();
    for (const o of origins) o.closeAllConnections();
    await Promise.all(origins.map((o) => new Promise((r) => o.close(r))));
  })();
  return stopping;
}

// Whatever ends this process, wrangler's group goes too (a synchronous SIGKILL: 'exit' allows nothing else).
process.on("exit", () => worker?.killNow());

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    void stopAll().then(() => {
      // End by the same signal, as a stopped process should (npm, then, ends by it too, without an error).
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
      // Should the signal be ignored (inherited so), end anyway.
      setTimeout(() => process.exit(128 + constants.signals[signal]), 1000).unref();
    });
  });
}

async function main(): Promise<void> {
  const port = portFrom("PORT", 8787);
  const primaryPort = portFrom("DEMO_PRIMARY_PORT", 9101);
  const stagingPort = portFrom("DEMO_STAGING_PORT", 9102);
  const inspectorPort = portFrom("INSPECTOR_PORT", port + 1);
  const base = `http://127.0.0.1:${port}`;

  const sites = new Map<string, DemoSiteInfo>();
  origins.push(await startDemoOrigin("primary", primaryPort, sites));
  origins.push(await startDemoOrigin("staging", stagingPort, sites));
  await ensureFree(port);
  await ensureFree(inspectorPort);
  const args = [wranglerBin, "dev", "--ip", "127.0.0.1", "--port", String(port)];
  args.push("--inspector-port", String(inspectorPort), "--show-interactive-dev-session=false");
  if (process.env.STATE_DIR) args.push("--persist-to", process.env.STATE_DIR);
  if (!verbose) args.push("--log-level", "warn");
  worker = spawnGroup(process.execPath, args, {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
  });
  worker.child.on("exit", (code) => {
    if (stopping !== undefined) return;
    console.error(`wrangler dev stopped (code ${code}); stopping the demo.`);
    void stopAll().then(() => process.exit(code === 0 || code === null ? 1 : code));
  });

  await waitForWorker(worker, base);
  const cf = new CloudFrontClient({
    endpoint: `${base}/_cd`,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  const demo = await seedDemo(cf, { primary: primaryPort, staging: stagingPort });
  cf.destroy();
  for (const pair of [demo.weight, demo.header]) sites.set(pair.host, demoSiteInfo(pair));
  console.log(banner({ port, primaryPort, stagingPort, ...demo }));
}

main().catch(async (err: unknown) => {
  // Stopped by a signal while starting: what failed is what the signal stopped; its handler ends this process.
  if (stopping !== undefined) return;
  const e = err as NodeJS.ErrnoException & { port?: number };
  if (e.code === "EADDRINUSE") {
    console.error(
      `Port ${e.port ?? "?"} is already in use (another npm start?). Stop it, or choose other ports:\n` +
        "  PORT=8797 DEMO_PRIMARY_PORT=9111 DEMO_STAGING_PORT=9112 npm start   (the inspector takes PORT + 1)",
    );
  } else if (err instanceof UsageError) {
    console.error(err.message);
  } else {
    console.error(err);
  }
  await stopAll();
  process.exit(1);
});
