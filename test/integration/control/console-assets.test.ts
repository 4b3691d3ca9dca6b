/**
 * The console's static files (build/console/ through the CONSOLE_ASSETS binding of wrangler.toml's [assets]):
 * served unsigned under <CONTROL_PATH_PREFIX>/console/ on the control hostnames only, with a strict
 * Content-Security-Policy; a viewer host's paths are never the console's. What the page does is tested in a real
 * browser (test/e2e/console.test.ts).
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../../src/index.js";

async function send(
  url: string,
  init: RequestInit = {},
  overrides: Partial<Env> = {},
): Promise<{ status: number; headers: Headers; body: string }> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(url, { redirect: "manual", ...init }), { ...env, ...overrides }, ctx);
  const body = await response.text();
  await waitOnExecutionContext(ctx);
  return { status: response.status, headers: response.headers, body };
}

describe("console assets", () => {
  it("serves the page at <prefix>/console/ without a signature, with its script and style sheets", async () => {
    const page = await send("http://127.0.0.1:8787/_cd/console/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.body).toContain('src="./console.js"');
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");

    const script = await send("http://127.0.0.1:8787/_cd/console/console.js");
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toMatch(/javascript/);
    expect(script.body.length).toBeGreaterThan(1000);
    for (const sheet of ["console.css", "uPlot.min.css"]) {
      const css = await send(`http://127.0.0.1:8787/_cd/console/${sheet}`);
      expect(css.status).toBe(200);
      expect(css.headers.get("content-type")).toMatch(/^text\/css/);
    }
  });

  it("redirects <prefix>/console to <prefix>/console/, keeping the query", async () => {
    const r = await send("http://127.0.0.1:8787/_cd/console?x=1");
    expect(r.status).toBe(308);
    expect(r.headers.get("location")).toBe("/_cd/console/?x=1");
  });

  it("answers unknown files 404 and other methods 405, without reaching the API", async () => {
    const missing = await send("http://127.0.0.1:8787/_cd/console/nothing.js");
    expect(missing.status).toBe(404);
    expect(missing.body).toBe("Not found.\n");
    const post = await send("http://127.0.0.1:8787/_cd/console/", { method: "POST", body: "x" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
    const head = await send("http://127.0.0.1:8787/_cd/console/", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
  });

  it("answers a conditional request 304 (the asset's ETag)", async () => {
    const first = await send("http://127.0.0.1:8787/_cd/console/console.js");
    const etag = first.headers.get("etag");
    expect(etag).not.toBeNull();
    const again = await send("http://127.0.0.1:8787/_cd/console/console.js", {
      headers: { "if-none-match": etag ?? "" },
    });
    expect(again.status).toBe(304);
  });

  it("is served only on CONTROL_HOSTNAMES when set; on a viewer host the path is the edge's", async () => {
    const only = { CONTROL_HOSTNAMES: "ops.example.test" };
    expect((await send("http://ops.example.test/_cd/console/", {}, only)).status).toBe(200);
    const viewer = await send("http://www.example.test/_cd/console/", {}, only);
    expect(viewer.status).toBe(404);
    expect(viewer.body).toContain("No distribution serves this hostname");
    // Nor does a viewer host's /index.html or /console.js ever come from the console's files.
    const index = await send("http://www.example.test/index.html", {}, only);
    expect(index.body).toContain("No distribution serves this hostname");
  });

  it("moves with CONTROL_PATH_PREFIX", async () => {
    const moved = { CONTROL_PATH_PREFIX: "/admin/cf" };
    expect((await send("http://127.0.0.1:8787/admin/cf/console/", {}, moved)).status).toBe(200);
    expect((await send("http://127.0.0.1:8787/_cd/console/", {}, moved)).status).toBe(404);
  });
});
