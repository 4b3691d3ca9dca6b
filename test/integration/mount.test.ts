/**
 * Where the control API is mounted: under CONTROL_PATH_PREFIX, on every hostname or only on CONTROL_HOSTNAMES.
 * Anything else is a viewer request for the edge. Unsigned requests are used on purpose: reaching the API shows
 * as its AccessDenied XML, reaching the edge as its unknown-host page.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index.js";

async function send(url: string, overrides: Partial<Env> = {}): Promise<{ status: number; body: string }> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(url), { ...env, ...overrides }, ctx);
  const body = await response.text();
  await waitOnExecutionContext(ctx);
  return { status: response.status, body };
}

const reachesApi = (r: { status: number; body: string }) => r.status === 403 && r.body.includes("<Code>AccessDenied");
const reachesEdge = (r: { status: number; body: string }) =>
  r.status === 404 && r.body.includes("No distribution serves this hostname");

describe("control API mount", () => {
  it("serves the API under /_cd on any hostname when CONTROL_HOSTNAMES is empty", async () => {
    expect(reachesApi(await send("http://anything.test/_cd/2020-05-31/distribution"))).toBe(true);
    expect(reachesApi(await send("http://127.0.0.1:8787/_cd/2020-05-31/distribution"))).toBe(true);
  });

  it("leaves paths that only start like the prefix to the edge", async () => {
    expect(reachesEdge(await send("http://anything.test/_cdx/2020-05-31/distribution"))).toBe(true);
    expect(reachesEdge(await send("http://anything.test/2020-05-31/distribution"))).toBe(true);
  });

  it("serves the API only on CONTROL_HOSTNAMES when set; viewer hosts reach the edge", async () => {
    const only = { CONTROL_HOSTNAMES: "api.example.test, ops.example.test" };
    expect(reachesApi(await send("http://api.example.test/_cd/2020-05-31/distribution", only))).toBe(true);
    expect(reachesApi(await send("http://OPS.example.test/_cd/2020-05-31/distribution", only))).toBe(true);
    expect(reachesEdge(await send("http://www.example.test/_cd/2020-05-31/distribution", only))).toBe(true);
  });

  it("honours another CONTROL_PATH_PREFIX", async () => {
    const moved = { CONTROL_PATH_PREFIX: "/admin/cf/" };
    expect(reachesApi(await send("http://a.test/admin/cf/2020-05-31/distribution", moved))).toBe(true);
    expect(reachesEdge(await send("http://a.test/_cd/2020-05-31/distribution", moved))).toBe(true);
  });
});
