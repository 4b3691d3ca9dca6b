/**
 * `npm start`: a working local edge. Starts the two demo origins, runs the worker under `wrangler dev` on
 * 127.0.0.1:$PORT (default 8787), seeds two demo sites through the CloudFront API, and prints what to try.
 * State persists in .wrangler/state between runs; `rm -rf .wrangler/state` starts over.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import { startDemoOrigin } from "./demo-origins.js";
import { seedDemo } from "./demo-seed.js";

const port = Number(process.env.PORT ?? 8787);
const primaryPort = Number(process.env.DEMO_PRIMARY_PORT ?? 9101);
const stagingPort = Number(process.env.DEMO_STAGING_PORT ?? 9102);
const base = `http://127.0.0.1:${port}`;
const wranglerBin = createRequire(import.meta.url).resolve("wrangler/bin/wrangler.js");

async function waitForWorker(worker: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (worker.exitCode !== null) throw new Error(`wrangler dev exited with code ${worker.exitCode}`);
    try {
      await fetch(`${base}/_cd/`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`the worker did not start listening on ${base} within 60 s`);
}

async function main(): Promise<void> {
  const origins = await Promise.all([startDemoOrigin("primary", primaryPort), startDemoOrigin("staging", stagingPort)]);
  // The wrangler binary itself, not `npx wrangler`: npx does not pass SIGTERM on, which would leave the dev
  // server running after this script stops.
  const worker = spawn(
    process.execPath,
    [wranglerBin, "dev", "--ip", "127.0.0.1", "--port", String(port), "--show-interactive-dev-session=false"],
    {
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
    },
  );
  const stop = () => {
    // SIGINT is the signal wrangler shuts down cleanly on (its Ctrl-C); SIGTERM leaves esbuild to crash noisily.
    if (worker.exitCode === null) worker.kill("SIGINT");
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  worker.on("exit", (code) => {
    for (const o of origins) o.closeAllConnections();
    for (const o of origins) o.close();
    process.exit(code ?? 0);
  });

  await waitForWorker(worker);
  const cf = new CloudFrontClient({
    endpoint: `${base}/_cd`,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  const demo = await seedDemo(cf, { primary: primaryPort, staging: stagingPort });
  const w = demo.weight;
  const h = demo.header;
  console.log(`
splitfront is running: a local edge on ${base} (demo origins on :${primaryPort} primary, :${stagingPort} staging)

  1. Sticky 10 % weight (distribution ${w.primaryId}, policy ${w.policyId}):
       open http://localhost:${port}/ in a browser; about 1 new session in 10 lands on STAGING.
       curl -s -c jar -b jar -D - -o /dev/null http://localhost:${port}/ | grep -i 'served-by\\|set-cookie'
         (repeat it: a cookie jar keeps the session on its side; delete "jar" for a new draw)
       for i in $(seq 100); do curl -s -o /dev/null -D - http://localhost:${port}/ | grep -i served-by; done | sort | uniq -c

  2. Header routing (distribution ${h.primaryId}):
       curl -s -D - -o /dev/null -H 'aws-cf-cd-demo: staging' http://header.localhost:${port}/ | grep -i served-by
       curl -s -D - -o /dev/null http://header.localhost:${port}/ | grep -i served-by

  3. Staging is never reachable directly:  curl -i http://${w.stagingDomain}:${port}/

  4. The CloudFront API, for any AWS tool (access key "test", secret "test", region us-east-1):
       AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 \\
         aws cloudfront get-continuous-deployment-policy --id ${w.policyId} --endpoint-url ${base}/_cd

Ctrl-C stops everything.
`);
  console.log(
    `  Per-arm metrics (within METRICS_FLUSH_S=10 s of a request): curl -s --aws-sigv4 aws:amz:us-east-1:cloudfront --user test:test ${base}/_cd/splitfront/v1/distributions/${w.primaryId}/metrics ; Prometheus: curl -s -H 'Authorization: Bearer local-metrics-token' ${base}/_cd/splitfront/v1/metrics\n`,
  );
}

main().catch((err: unknown) => {
  const e = err as NodeJS.ErrnoException & { port?: number };
  if (e.code === "EADDRINUSE") {
    console.error(
      `Port ${e.port ?? "?"} is already in use (another npm start?). Stop it, or choose other ports:\n` +
        "  PORT=8788 DEMO_PRIMARY_PORT=9111 DEMO_STAGING_PORT=9112 npm start",
    );
  } else {
    console.error(err);
  }
  process.exit(1);
});
