/**
 * The `npm start` demo seeds through the control API (scripts/demo-seed.ts, real AWS SDK): the seed succeeds,
 * is idempotent, re-points what it finds again at new origin ports, and the edge routes the header pair by its
 * header.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEMO_SITE_HEADER } from "../../scripts/demo-origins.js";
import { demoSiteInfo, seedDemo } from "../../scripts/demo-seed.js";
import { type RunningWorker, startWorker } from "../support/node/worker-harness.js";
import { useTestOrigins } from "./helpers/origins.js";
import { cloudfront } from "./helpers/sdk.js";

let worker: RunningWorker;
const origins = useTestOrigins();

beforeAll(async () => {
  worker = await startWorker();
});
afterAll(async () => {
  await worker?.stop();
});

it("seeds two pairs through the API, idempotently, and the edge follows the header policy", async () => {
  const cf = cloudfront(worker.endpoint);
  try {
    const ports = { primary: origins.ports.primary, staging: origins.ports.staging };
    const first = await seedDemo(cf, ports);
    const again = await seedDemo(cf, ports);
    expect(again).toEqual(first);
    expect(await worker.edgeRecord("localhost")).toMatchObject({
      kind: "viewer",
      policy: { id: first.weight.policyId, traffic: { type: "SingleWeight", weight: 0.1 } },
    });
    const plain = await worker.mf.dispatchFetch("http://header.localhost/");
    expect(plain.headers.get("x-origin")).toBe("primary");
    // Each origin names its site, so the demo origin's page can say which one a request came through.
    const seen = (await plain.json()) as { headers: Record<string, string> };
    expect(seen.headers[DEMO_SITE_HEADER]).toBe("header.localhost");
    expect(demoSiteInfo(first.header)).toMatchObject({ policy: "a header policy", policyId: first.header.policyId });
    expect(demoSiteInfo(first.weight).hint.primary).toContain("Clear the sf-cd-session cookie");
    const header = await worker.mf.dispatchFetch("http://header.localhost/", {
      headers: { "aws-cf-cd-demo": "staging" },
    });
    expect(header.headers.get("x-origin")).toBe("staging");
    await header.arrayBuffer();

    // A later run with the origins on other ports (here: swapped) re-points the distributions it finds again.
    const swapped = await seedDemo(cf, { primary: ports.staging, staging: ports.primary });
    expect(swapped).toEqual(first);
    const moved = await worker.mf.dispatchFetch("http://header.localhost/");
    expect(moved.headers.get("x-origin")).toBe("staging");
    await moved.arrayBuffer();
  } finally {
    cf.destroy();
  }
});
