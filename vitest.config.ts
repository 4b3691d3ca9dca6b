import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { buildConsole } from "./scripts/build-console.js";
import { quietRuntimeLogs } from "./test/support/node/quiet-runtime-logs.js";

// A passing run shows only vitest's report: workerd's records of what tests do on purpose, wrangler's "Using
// secrets defined in .dev.vars" per test file (its log level) and the AWS SDK's notice about Node 20 are left out.
// `VERBOSE=1 npm test` shows them all.
if (!/^(1|true|yes)$/i.test(process.env.VERBOSE ?? "")) {
  quietRuntimeLogs();
  process.env.WRANGLER_LOG ??= "warn";
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
}

// The console's static files (wrangler.toml [assets]): wrangler builds them before dev and deploy, the tests here.
buildConsole();

// Local-only credentials for tests; production values are Worker secrets.
export const TEST_SECRETS = {
  SESSION_SECRET: "test-session-secret-0123456789abcdef",
  CONTROL_ACCESS_KEYS: "test:test,AKIDSECOND:second-secret",
};

export default defineConfig({
  test: {
    projects: [
      {
        // Unit and integration tests, run inside workerd with real KV, Cache API and Durable Objects.
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                ...TEST_SECRETS,
                CONFIG_MEMO_MS: "0",
                KV_STALENESS_S: "0",
                SERVED_BY_HEADER: "x-served-by",
                ACCESS_LOG: "false",
                // Telemetry off by default: a scheduled flush is a waitUntil'd timer, and the tests' viewer() waits
                // for every waitUntil. test/integration/metrics/ switches it on with a short interval.
                METRICS_FLUSH_S: "0",
                METRICS_TOKEN: "test-metrics-token",
                // Rollouts: a rollout second lasts 10 ms (a 60 s analysis interval is 0.6 s), and steps may go to 50 %.
                ROLLOUT_SECOND_MS: "10",
                MAX_STAGING_WEIGHT: "0.5",
              },
            },
          }),
        ],
        test: {
          name: "workers",
          include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts"],
          globalSetup: ["test/support/node/origins.ts"],
          // Generous: CI shares two cores between workerd, the origins and vitest.
          testTimeout: 30_000,
        },
      },
      {
        // End-to-end: the built worker in Miniflare, driven from Node by real AWS clients.
        test: {
          name: "e2e",
          environment: "node",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
