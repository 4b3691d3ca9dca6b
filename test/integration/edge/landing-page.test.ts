/**
 * The worker's own address (`http://127.0.0.1:8787/` under `npm start`): a landing page naming the API endpoint
 * and, on a loopback host, the sites with their policies, where a host without a distribution would get the 404.
 * Only on hosts that serve the control API (CONTROL_HOSTNAMES, or loopback names when it is empty) and only at `/`;
 * a host with a distribution is never shadowed by it.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import { describePolicy } from "../../../src/edge/landing-page.js";
import worker from "../../../src/index.js";
import { echo, publish, uniqueHost } from "../../support/worker/edge.js";
import { distribution, headerPolicy, viewerHost, weightPolicy } from "../../support/worker/fixtures.js";

async function send(
  url: string,
  init: RequestInit = {},
  overrides: Partial<Env> = {},
): Promise<{ status: number; type: string | null; body: string }> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(url, init), { ...env, ...overrides }, ctx);
  const body = await response.text();
  await waitOnExecutionContext(ctx);
  return { status: response.status, type: response.headers.get("content-type"), body };
}

const isLanding = (r: { status: number; body: string }) => r.status === 200 && r.body.includes("<h1>splitfront</h1>");
const isUnknownHost = (r: { status: number; body: string }) =>
  r.status === 404 && r.body.includes("No distribution serves this hostname");

describe("landing page", () => {
  it("answers the worker's loopback address with the API endpoint and every site with its policy", async () => {
    const ports = inject("origins");
    // "a-" sorts early: the list reads the first 100 hostname records, and other tests publish many.
    const sticky = uniqueHost("a-landing-sticky");
    const header = uniqueHost("a-landing-header");
    const policy = { ...weightPolicy(0.1, { idleTTL: 300, maximumTTL: 600 }), id: "policy-sticky" };
    await publish(
      viewerHost(sticky, distribution("ELANDING000001", ports.primary), policy, distribution("ELANDING000002", 1)),
    );
    await publish(viewerHost(header, distribution("ELANDING000003", ports.primary), headerPolicy("aws-cf-cd-x", "on")));

    const r = await send("http://127.0.0.1:8787/");
    expect(isLanding(r)).toBe(true);
    expect(r.type).toBe("text/html; charset=utf-8");
    expect(r.body).toContain("<code>http://127.0.0.1:8787/_cd</code>");
    expect(r.body).toContain('<a href="http://127.0.0.1:8787/_cd/console/">');
    expect(r.body).toContain(`<a href="http://${sticky}:8787/">${sticky}</a>`);
    expect(r.body).toContain("distribution ELANDING000001, staging ELANDING000002");
    expect(r.body).toContain("policy policy-sticky: 10 % of new sessions go to staging and stay there");
    expect(r.body).toContain(`<a href="http://${header}:8787/">${header}</a>`);
    expect(r.body).toContain("requests carrying the header aws-cf-cd-x: on go to staging");
    // The local keys are named only on a loopback host.
    expect(r.body).toContain("access key <code>test</code>");

    expect(isLanding(await send("http://localhost:8787/"))).toBe(true);
    expect(isLanding(await send("http://[::1]:8787/"))).toBe(true);
    expect(isLanding(await send("http://nothing-here.localhost:8787/"))).toBe(true);
  });

  it("answers HEAD without a body, and leaves other paths and methods to the 404", async () => {
    const head = await send("http://127.0.0.1:8787/", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
    expect(isUnknownHost(await send("http://127.0.0.1:8787/index.html"))).toBe(true);
    expect(isUnknownHost(await send("http://127.0.0.1:8787/", { method: "POST", body: "x" }))).toBe(true);
  });

  it("never shadows a site: a host with a distribution is served by it", async () => {
    const host = uniqueHost("landing-known");
    await publish(viewerHost(host, distribution("ELANDING000004", inject("origins").primary)));
    const ctx = createExecutionContext();
    const response = await worker.fetch(new Request(`http://${host}/`), env, ctx);
    expect((await echo(response)).origin).toBe("primary");
    await waitOnExecutionContext(ctx);
  });

  it("keeps the 404 for other unknown hosts when every host serves the API", async () => {
    expect(isUnknownHost(await send("http://unknown.example.test/"))).toBe(true);
    expect(isUnknownHost(await send("http://203.0.113.7/"))).toBe(true);
  });

  it("with CONTROL_HOSTNAMES set: on those hostnames only, without the site list or the local keys", async () => {
    const only = { CONTROL_HOSTNAMES: "api.example.test" };
    const r = await send("https://api.example.test/", {}, only);
    expect(isLanding(r)).toBe(true);
    expect(r.body).toContain("<code>https://api.example.test/_cd</code>");
    expect(r.body).not.toContain("Sites on this edge");
    expect(r.body).not.toContain("<code>test</code>");
    expect(isUnknownHost(await send("http://127.0.0.1:8787/", {}, only))).toBe(true);
    expect(isUnknownHost(await send("http://www.example.test/", {}, only))).toBe(true);
  });

  it("still answers when KV cannot list the sites", async () => {
    const kv = env.EDGE_CONFIG;
    const broken: KVNamespace = Object.assign(Object.create(kv) as KVNamespace, {
      get: kv.get.bind(kv),
      list: () => Promise.reject(new Error("KV is down")),
    });
    const r = await send("http://127.0.0.1:8787/", {}, { EDGE_CONFIG: broken });
    expect(isLanding(r)).toBe(true);
    expect(r.body).toContain("The sites could not be listed");
  });
});

describe("describePolicy", () => {
  it("says what each kind of policy sends to staging", () => {
    expect(describePolicy(null)).toBe("no continuous deployment policy: every viewer is served by the primary");
    expect(describePolicy({ ...weightPolicy(0.15, null), id: "p" })).toBe("policy p: 15 % of requests go to staging");
    expect(describePolicy({ ...weightPolicy(0.055, null), id: "p", enabled: false })).toBe(
      "policy p (disabled: every viewer to primary): 5.5 % of requests go to staging",
    );
  });
});
