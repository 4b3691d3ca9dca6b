import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

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
