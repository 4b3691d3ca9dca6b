/**
 * Routing through the real worker, with real KV and real loopback origins: which origin answers is read from the
 * origin's own echo, and cross-checked against the opt-in served-by header (x-served-by in the test config).
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { handleViewerRequest } from "../../../src/edge/handler.js";
import { echo, publish, publishTwoArms, sessionCookie, uniqueHost, viewer } from "../../support/worker/edge.js";
import { headerPolicy, stagingHost, weightPolicy } from "../../support/worker/fixtures.js";

const STICKY = { idleTTL: 300, maximumTTL: 600 };

/** A new viewer's session cookie for `host` (the body read, so the request is done). */
async function newViewerCookie(host: string): Promise<string> {
  const first = await viewer(host);
  await first.arrayBuffer();
  const cookie = sessionCookie(first);
  expect(cookie).not.toBeNull();
  return cookie ?? "";
}

async function originOf(response: Response): Promise<string> {
  const body = await echo(response);
  expect(response.headers.get("x-served-by")).toBe(body.origin);
  return body.origin;
}

describe("routing at the edge", () => {
  it("sends everything to primary when no policy is attached", async () => {
    const { host } = await publishTwoArms("nopolicy", null);
    for (let i = 0; i < 5; i++) expect(await originOf(await viewer(host))).toBe("primary");
  });

  it("SingleHeader: the exact value reaches staging, anything else primary; header name is case-insensitive", async () => {
    const { host } = await publishTwoArms("header", headerPolicy("aws-cf-cd-test", "blue"));
    expect(await originOf(await viewer(host, "/", { headers: { "aws-cf-cd-test": "blue" } }))).toBe("staging");
    expect(await originOf(await viewer(host, "/", { headers: { "AWS-CF-CD-TEST": "blue" } }))).toBe("staging");
    expect(await originOf(await viewer(host, "/", { headers: { "aws-cf-cd-test": "Blue" } }))).toBe("primary");
    expect(await originOf(await viewer(host, "/", { headers: { "aws-cf-cd-test": "blue2" } }))).toBe("primary");
    expect(await originOf(await viewer(host, "/", { headers: { "aws-cf-cd-other": "blue" } }))).toBe("primary");
    expect(await originOf(await viewer(host))).toBe("primary");
  });

  it("a disabled policy sends the matching header to primary", async () => {
    const policy = { ...headerPolicy("aws-cf-cd-test", "blue"), enabled: false };
    const { host } = await publishTwoArms("disabled", policy);
    expect(await originOf(await viewer(host, "/", { headers: { "aws-cf-cd-test": "blue" } }))).toBe("primary");
  });

  it("a disabled staging distribution receives nothing", async () => {
    const { host } = await publishTwoArms("stagingoff", headerPolicy("aws-cf-cd-test", "blue"), {
      staging: { enabled: false },
    });
    expect(await originOf(await viewer(host, "/", { headers: { "aws-cf-cd-test": "blue" } }))).toBe("primary");
  });

  it("the operator's FORCE_PRIMARY switch overrides every policy", async () => {
    const { host } = await publishTwoArms("force", headerPolicy("aws-cf-cd-test", "blue"));
    const request = new Request(`http://${host}/`, { headers: { "aws-cf-cd-test": "blue" } });
    const tasks: Promise<unknown>[] = [];
    const response = await handleViewerRequest(
      request,
      { ...env, FORCE_PRIMARY: "true" },
      { waitUntil: (p) => tasks.push(p) },
    );
    expect(await originOf(response)).toBe("primary");
    await Promise.all(tasks);
  });

  it("refuses viewers addressing a staging distribution's own domain name", async () => {
    const host = uniqueHost("stagingdomain");
    await publish(stagingHost(host, "ESTAGING000001"));
    const response = await viewer(host);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("staging distribution");
  });

  it("answers an unknown host with a clear 404", async () => {
    const response = await viewer(uniqueHost("nobody"));
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("No distribution serves this hostname");
  });

  it("keeps a sticky session on its arm for 50 requests, staging and primary alike", async () => {
    const { host } = await publishTwoArms("sticky50", weightPolicy(0.15, STICKY));
    const seen = new Map<string, string>();
    // Fresh sessions until both arms have one (P(no staging in 300 draws at 15 %) ≈ 1e-21).
    for (let i = 0; i < 300 && seen.size < 2; i++) {
      const first = await viewer(host);
      const cookie = sessionCookie(first);
      expect(cookie).not.toBeNull();
      const arm = await originOf(first);
      if (!seen.has(arm) && cookie !== null) seen.set(arm, cookie);
    }
    expect([...seen.keys()].sort()).toEqual(["primary", "staging"]);
    for (const [arm, cookie] of seen) {
      for (let i = 0; i < 50; i++) {
        const response = await viewer(host, "/", { headers: { cookie: `other=1; sf-cd-session=${cookie}` } });
        expect(await originOf(response)).toBe(arm);
        // Within the idle clock's resolution the cookie is not reissued.
        expect(response.headers.get("set-cookie")).toBeNull();
      }
    }
  });

  it("a cookie signed with one secret is not honoured under another, however recently it was verified", async () => {
    const { host } = await publishTwoArms("rekey", weightPolicy(0.15, STICKY));
    const cookie = await newViewerCookie(host);
    const ctx = { waitUntil: () => {} };
    const ask = async (e: Env) => {
      const response = await handleViewerRequest(
        new Request(`http://${host}/`, { headers: { cookie: `sf-cd-session=${cookie}` } }),
        e,
        ctx,
      );
      await response.arrayBuffer();
      return sessionCookie(response);
    };
    // Honoured (no new cookie) twice in a row: the second answer comes from the isolate's last verified cookie.
    expect(await ask(env)).toBeNull();
    expect(await ask(env)).toBeNull();
    const rotated = await ask({ ...env, SESSION_SECRET: "another-secret-of-at-least-32-characters!" });
    expect(rotated).not.toBeNull();
    expect(rotated).not.toBe(cookie);
    // And back under the first secret, the old cookie holds again.
    expect(await ask(env)).toBeNull();
  });

  it("at weight 0.10, 2,000 fresh sessions put a binomially plausible share on staging", async () => {
    const { host } = await publishTwoArms("share", weightPolicy(0.1, STICKY));
    const n = 2000;
    let staging = 0;
    for (let batch = 0; batch < n / 25; batch++) {
      const arms = await Promise.all(
        Array.from({ length: 25 }, async () => {
          const response = await viewer(host);
          await response.arrayBuffer();
          return response.headers.get("x-served-by");
        }),
      );
      staging += arms.filter((arm) => arm === "staging").length;
    }
    const mean = n * 0.1;
    const sigma = Math.sqrt(n * 0.1 * 0.9);
    expect(Math.abs(staging - mean)).toBeLessThanOrEqual(4 * sigma);
  }, 180_000);

  it("ignores and replaces a tampered session cookie", async () => {
    const { host } = await publishTwoArms("tamper", weightPolicy(0.1, STICKY));
    const cookie = await newViewerCookie(host);
    const forged = `${cookie.slice(0, -2)}${cookie.endsWith("AA") ? "BB" : "AA"}`;
    for (const bad of [forged, "garbage", "", `${cookie}x`, cookie.slice(0, 10)]) {
      const response = await viewer(host, "/", { headers: { cookie: `sf-cd-session=${bad}` } });
      await response.arrayBuffer();
      expect(response.status).toBe(200);
      const fresh = sessionCookie(response);
      expect(fresh).not.toBeNull();
      expect(fresh).not.toBe(bad);
    }
  });

  it("issues the cookie HttpOnly, SameSite=Lax, Path=/, with a Max-Age, and Secure only over https", async () => {
    const { host } = await publishTwoArms("attrs", weightPolicy(0.1, STICKY));
    const plainResponse = await viewer(host);
    await plainResponse.arrayBuffer();
    const plain = plainResponse.headers.get("set-cookie") ?? "";
    expect(plain).toMatch(/HttpOnly/);
    expect(plain).toMatch(/SameSite=Lax/);
    expect(plain).toMatch(/Path=\//);
    expect(plain).toMatch(/Max-Age=(\d+)/);
    expect(plain).not.toMatch(/Secure/);
    const secureResponse = await viewer(host, "/", undefined, "https");
    await secureResponse.arrayBuffer();
    const secure = secureResponse.headers.get("set-cookie") ?? "";
    expect(secure).toMatch(/Secure/);
  });

  it("does not forward its own session cookie to the origin, but forwards the viewer's other cookies", async () => {
    const { host } = await publishTwoArms("cookiefwd", weightPolicy(0.1, STICKY));
    const first = await viewer(host);
    await first.arrayBuffer();
    const cookie = sessionCookie(first);
    const headers = { cookie: `a=1; sf-cd-session=${cookie}; b=2` };
    const body = await echo(await viewer(host, "/?cc=no-store", { headers }));
    expect(body.headers.cookie).toBe("a=1; b=2");
  });

  it("without stickiness, no cookie is issued and each request is drawn anew", async () => {
    const { host } = await publishTwoArms("nosticky", weightPolicy(0.15, null));
    const arms = new Set<string>();
    for (let i = 0; i < 200 && arms.size < 2; i++) {
      const response = await viewer(host);
      await response.arrayBuffer();
      expect(response.headers.get("set-cookie")).toBeNull();
      arms.add(response.headers.get("x-served-by") ?? "");
    }
    expect([...arms].sort()).toEqual(["primary", "staging"]);
  });

  it("sends the served-by header only when configured", async () => {
    const { host } = await publishTwoArms("servedby", null);
    const tasks: Promise<unknown>[] = [];
    const response = await handleViewerRequest(
      new Request(`http://${host}/`),
      { ...env, SERVED_BY_HEADER: "" },
      { waitUntil: (p) => tasks.push(p) },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("x-served-by")).toBeNull();
    expect((await echo(response)).origin).toBe("primary");
    await Promise.all(tasks);
  });
});
