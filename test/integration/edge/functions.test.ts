/**
 * CloudFront Functions on the viewer path, in workerd with the real Cache API and a real origin: a viewer-response
 * function runs on cache hits too (the cache holds the origin's response, not the function's), a viewer-request
 * function's rewrite decides the cache key, an edge-generated response carries its result type in X-Cache, and
 * a function's console.log lines (and its error, never shown to the viewer) are written as one log record per run.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { EdgeFunction } from "../../../src/model/edge-config.js";
import { echo, publishTwoArms, viewer } from "../../support/worker/edge.js";
import { behavior } from "../../support/worker/fixtures.js";

const fn = (name: string, code: string): EdgeFunction => ({
  name,
  etag: `E${name.toUpperCase()}`,
  runtime: "cloudfront-js-2.0",
  code,
});

const SECURITY = fn(
  "security",
  "function handler(event) { var r = event.response; r.headers['x-frame-options'] = { value: 'DENY' }; r.headers['x-status-seen'] = { value: String(r.statusCode) }; return r; }",
);
const REWRITE = fn(
  "rewrite",
  "function handler(event) { var r = event.request; r.uri = '/rewritten' + r.uri; r.querystring = { cc: { value: 'max-age%3D60' } }; return r; }",
);
const REDIRECT = fn(
  "redirect",
  "function handler(event) { return { statusCode: 301, statusDescription: 'Moved', headers: { location: { value: 'https://example.com' + event.request.uri } } }; }",
);

const LOGGING = fn(
  "logging",
  "function handler(event) { console.log('uri ' + event.request.uri); console.log('ip ' + event.viewer.ip); if (event.request.uri === '/fail') throw new Error('secret detail'); return event.request; }",
);

describe("functions at the edge", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("runs a viewer-response function on misses and on cache hits alike", async () => {
    const { host } = await publishTwoArms("fn-response", null, {
      primary: { defaultBehavior: behavior({ functions: { viewerResponse: SECURITY } }) },
    });
    const path = "/asset.js?cc=max-age%3D60";
    const miss = await viewer(host, path);
    expect(miss.headers.get("x-cache")).toMatch(/^Miss/);
    expect(miss.headers.get("x-frame-options")).toBe("DENY");
    const hit = await viewer(host, path);
    expect(hit.headers.get("x-cache")).toMatch(/^Hit/);
    expect(hit.headers.get("x-frame-options")).toBe("DENY");
    expect(hit.headers.get("x-status-seen")).toBe("200");
    expect((await echo(hit)).origin).toBe("primary");
  });

  it("caches under the rewritten request, and answers from the edge with FunctionGeneratedResponse", async () => {
    const { host } = await publishTwoArms("fn-request", null, {
      primary: {
        defaultBehavior: behavior({ functions: { viewerRequest: REWRITE } }),
        behaviors: [behavior({ pathPattern: "/old/*", functions: { viewerRequest: REDIRECT } })],
      },
    });
    const first = await viewer(host, "/page?ignored=1", { headers: { "cf-connecting-ip": "203.0.113.7" } });
    const seen = await echo(first);
    expect(seen.url).toBe("/rewritten/page?cc=max-age%3D60");
    // The function never sees the runtime's cf-* headers, and its request still carries the viewer's address.
    expect(seen.headers["x-forwarded-for"]).toBe("203.0.113.7");
    // Another viewer query string, the same rewritten request: the cache entry the first one stored.
    const second = await viewer(host, "/page?other=2");
    expect(second.headers.get("x-cache")).toMatch(/^Hit/);
    const redirected = await viewer(host, "/old/thing", { redirect: "manual" });
    expect(redirected.status).toBe(301);
    expect(redirected.headers.get("location")).toBe("https://example.com/old/thing");
    expect(redirected.headers.get("x-cache")).toBe("FunctionGeneratedResponse from splitfront");
  });

  it("writes a function's console.log lines, and its error, as one log record per run (ACCESS_LOG off)", async () => {
    const { host, primary } = await publishTwoArms("fn-log", null, {
      primary: { defaultBehavior: behavior({ functions: { viewerRequest: LOGGING } }) },
    });
    const spy = vi.spyOn(console, "log").mockImplementation(() => {});
    const ok = await viewer(host, "/page", { headers: { "cf-connecting-ip": "198.51.100.7" } });
    const failed = await viewer(host, "/fail");
    const records = spy.mock.calls
      .map((args) => JSON.parse(String(args[0])) as Record<string, unknown>)
      .filter((r) => r.functionLog === true);
    expect(ok.status).toBe(200);
    expect(failed.status).toBe(503);
    expect(await failed.text()).not.toContain("secret detail");
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      distributionId: primary.id,
      functionName: "logging",
      eventType: "viewer-request",
      lines: ["uri /page", "ip 198.51.100.7"],
    });
    expect(records[0]).not.toHaveProperty("error");
    expect(records[1]).toMatchObject({
      lines: ["uri /fail", "ip "],
      error: "Error: secret detail",
      failure: "error",
    });
    expect(records[0]?.requestId).not.toBe(records[1]?.requestId);
  });
});
