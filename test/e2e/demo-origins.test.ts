/**
 * The `npm start` demo origins (scripts/demo-origins.ts): a page that says which side served it and through which
 * site and policy (named by the origin custom header the demo's distributions send), and no page for /favicon.ico.
 */
import type { Server } from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEMO_SITE_HEADER, type DemoSiteInfo, startDemoOrigin } from "../../scripts/demo-origins.js";

const sites = new Map<string, DemoSiteInfo>();
let server: Server;
let base: string;

beforeAll(async () => {
  server = await startDemoOrigin("staging", 0, sites);
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  base = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

it("names the site and policy a request came through, and what to do for the other side", async () => {
  sites.set("header.localhost", {
    host: "header.localhost",
    primaryId: "EPRIMARY000001",
    policyId: "policy-1",
    policy: "a header policy",
    hint: { primary: "Send the header.", staging: "This request carried the header aws-cf-cd-demo: staging." },
  });
  const res = await fetch(`${base}/page`, { headers: { [DEMO_SITE_HEADER]: "header.localhost" } });
  expect(res.status).toBe(200);
  expect(res.headers.get("x-demo-origin")).toBe("staging");
  const html = await res.text();
  expect(html).toContain("<title>STAGING origin · header.localhost</title>");
  expect(html).toContain("Served by the STAGING origin");
  expect(html).toContain("Site <strong>header.localhost</strong>: distribution EPRIMARY000001 with a header policy");
  expect(html).toContain("This request carried the header aws-cf-cd-demo: staging.");
  expect(html).not.toContain("new draw");
});

it("says so when a request did not come through a demo site", async () => {
  const html = await (await fetch(`${base}/`)).text();
  expect(html).toContain("did not come through a demo site");
  const unknown = await (await fetch(`${base}/`, { headers: { [DEMO_SITE_HEADER]: "<b>x</b>" } })).text();
  expect(unknown).toContain("did not come through a demo site");
  expect(unknown).not.toContain("<b>x</b>");
});

it("answers /favicon.ico with 404, not the page", async () => {
  for (const path of ["/favicon.ico", "/favicon.ico?v=2"]) {
    const res = await fetch(`${base}${path}`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await res.text()).not.toContain("<html");
  }
});
