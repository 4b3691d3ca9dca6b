/**
 * The loopback test origins (primary, staging, slow, down, ...) for one e2e test file: started before its tests,
 * closed after them. Read `o.ports` inside tests and hooks only.
 */
import { afterAll, beforeAll } from "vitest";
import { startTestOrigins, type TestOriginPorts } from "../../support/node/origin-servers.js";

export function useTestOrigins(): { readonly ports: TestOriginPorts } {
  let origins: Awaited<ReturnType<typeof startTestOrigins>> | undefined;
  beforeAll(async () => {
    origins = await startTestOrigins();
  });
  afterAll(async () => {
    await origins?.close();
  });
  return {
    get ports() {
      if (origins === undefined) throw new Error("the test origins are only there inside tests and hooks");
      return origins.ports;
    },
  };
}
