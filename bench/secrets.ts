/** The secrets every benchmark instance of splitfront runs with (never used outside the benchmark). */
export const TEST_SECRETS = {
  SESSION_SECRET: "bench-session-secret-0123456789abcdef",
  CONTROL_ACCESS_KEYS: "test:test",
} as const;
