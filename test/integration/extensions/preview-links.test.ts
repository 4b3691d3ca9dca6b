/**
 * Preview links through the real worker: POST .../preview-links (signed by the AWS SDK's signer) returns a URL on
 * the primary's alias; opening it redirects to the same URL without the token and pins the viewer to the link's
 * arm for the session, whatever the weight or header rule; expired, tampered, foreign or re-signed tokens are
 * ignored and the viewer is routed as usual; a new SESSION_SECRET revokes every link and the sessions they opened.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../../src/index.js";
import { signPreviewToken } from "../../../src/routing/preview-token.js";
import { importSessionKey, signSession } from "../../../src/routing/session-cookie.js";
import { echo, sessionCookie, viewer } from "../../support/worker/edge.js";
import { expectError, expectJson, ext, pair } from "./api.js";

// The worker's SESSION_SECRET in the workers project (vitest.config.ts): the tests sign expired tokens with it to
// show that the expiry, not the signature, is what stops them.
const SECRET = "test-session-secret-0123456789abcdef";

interface Link {
  url: string;
  distributionId: string;
  host: string;
  path: string;
  arm: string;
  expiresAt: string;
  activeAt: string;
}

async function link(primaryId: string, body: unknown): Promise<Link> {
  return expectJson<Link>(await ext("POST", `/${primaryId}/preview-links`, body), 201);
}

/** Opens a link's URL as a browser would: the redirect, then the page with the cookie it set. */
async function open(url: string): Promise<{ redirect: Response; cookie: string | null; location: string }> {
  const u = new URL(url);
  const redirect = await viewer(u.host, `${u.pathname}${u.search}`);
  return { redirect, cookie: sessionCookie(redirect), location: redirect.headers.get("location") ?? "" };
}

const withCookie = (cookie: string, headers: Record<string, string> = {}) => ({
  headers: { cookie: `sf-cd-session=${cookie}`, ...headers },
});

describe("preview links", () => {
  it("pins a viewer to staging under a 0 % weight, for the whole session, without the token reaching the origin", async () => {
    const p = await pair("preview-staging", { policy: { weight: 0 } });
    const l = await link(p.primaryId, { arm: "staging", expiresInSeconds: 600, path: "/shop" });
    expect(l).toMatchObject({ distributionId: p.primaryId, host: p.host, arm: "staging", path: "/shop" });
    expect(l.url).toMatch(new RegExp(`^http://${p.host.replace(/\./g, "\\.")}:8787/shop\\?sf-preview=pt1\\.s\\.`));
    expect(Date.parse(l.expiresAt) - Date.now()).toBeGreaterThan(590_000);
    // Locally KV is immediate and the memo is 0: the link works at once.
    expect(Date.parse(l.activeAt)).toBeLessThanOrEqual(Date.now());

    const { redirect, cookie, location } = await open(l.url);
    expect(redirect.status).toBe(302);
    expect(location).toBe(`http://${p.host}:8787/shop`);
    expect(redirect.headers.get("cache-control")).toBe("no-store");
    expect(redirect.headers.get("set-cookie")).toMatch(/Max-Age=(59\d|600);.*HttpOnly/);
    expect(cookie).toMatch(/^v1p\.s\./);
    for (let i = 0; i < 20; i++) {
      const res = await viewer(p.host, "/shop?page=2", withCookie(cookie ?? ""));
      expect(res.headers.get("x-served-by")).toBe("staging");
      const seen = await echo(res);
      expect(seen.origin).toBe("staging");
      expect(seen.url).not.toContain("sf-preview");
    }
    // Without the cookie, the 0 % weight rules.
    expect((await viewer(p.host, "/shop")).headers.get("x-served-by")).toBe("primary");
  });

  it("pins to primary against a matching header, and to staging without it, under a header policy", async () => {
    const p = await pair("preview-header", { policy: { header: "aws-cf-cd-preview", value: "on" } });
    const toPrimary = await open((await link(p.primaryId, { arm: "primary" })).url);
    expect(toPrimary.cookie).toMatch(/^v1p\.p\./);
    const withHeader = withCookie(toPrimary.cookie ?? "", { "aws-cf-cd-preview": "on" });
    expect((await viewer(p.host, "/", withHeader)).headers.get("x-served-by")).toBe("primary");
    // Another viewer with the header and no link still reaches staging.
    expect((await viewer(p.host, "/", { headers: { "aws-cf-cd-preview": "on" } })).headers.get("x-served-by")).toBe(
      "staging",
    );
    const toStaging = await open((await link(p.primaryId, { arm: "staging" })).url);
    expect((await viewer(p.host, "/", withCookie(toStaging.cookie ?? ""))).headers.get("x-served-by")).toBe("staging");
  });

  it("ignores expired, tampered, foreign and re-signed tokens: the viewer is routed as usual", async () => {
    const p = await pair("preview-bad", { policy: { weight: 0 } });
    const good = await link(p.primaryId, { arm: "staging" });
    const token = new URL(good.url).searchParams.get("sf-preview") ?? "";
    const key = await importSessionKey(SECRET);
    const nowS = Math.floor(Date.now() / 1000);
    const expired = await signPreviewToken({ arm: "staging", primaryId: p.primaryId, expiresAt: nowS - 1 }, key);
    const foreign = await signPreviewToken({ arm: "staging", primaryId: p.stagingId, expiresAt: nowS + 600 }, key);
    const rotated = await signPreviewToken(
      { arm: "staging", primaryId: p.primaryId, expiresAt: nowS + 600 },
      await importSessionKey("another-secret-after-a-rotation-01"),
    );
    const extended = token.replace(/\.(\d+)\./, (_m, t: string) => `.${Number(t) + 86_400}.`);
    const flipped = `${token.slice(0, -3)}${token.slice(-3) === "AAA" ? "BBB" : "AAA"}`;
    for (const [what, t] of Object.entries({ expired, foreign, rotated, extended, flipped, junk: "%%%" })) {
      const res = await viewer(p.host, `/?a=1&sf-preview=${encodeURIComponent(t)}`);
      expect(res.status, what).toBe(200);
      expect(res.headers.get("x-served-by"), what).toBe("primary");
      expect(sessionCookie(res) ?? "", what).not.toMatch(/^v1p/);
    }
    // The real one opens on GET (and HEAD) only: a POST is routed as usual (here refused by the behaviour's
    // allowed methods, as CloudFront would).
    const posted = await viewer(p.host, `/?sf-preview=${token}`, { method: "POST", body: "x" });
    expect(posted.status).toBe(403);
    expect(sessionCookie(posted) ?? "").not.toMatch(/^v1p/);
    expect((await open(good.url)).redirect.status).toBe(302);
  });

  it("rotating SESSION_SECRET revokes every link and every session a link opened", async () => {
    const p = await pair("preview-rotate", { policy: { weight: 0 } });
    const l = await link(p.primaryId, { arm: "staging" });
    const { cookie } = await open(l.url);
    expect((await viewer(p.host, "/", withCookie(cookie ?? ""))).headers.get("x-served-by")).toBe("staging");
    // The same worker after `wrangler secret put SESSION_SECRET` with a new value.
    const rotated = { ...env, SESSION_SECRET: "a-new-session-secret-after-rotation" };
    const underNewSecret = async (path: string, init: RequestInit = {}): Promise<Response> => {
      const ctx = createExecutionContext();
      const res = await worker.fetch(new Request(`http://${p.host}${path}`, init), rotated, ctx);
      await res.arrayBuffer();
      await waitOnExecutionContext(ctx);
      return res;
    };
    const u = new URL(l.url);
    const reopened = await underNewSecret(`${u.pathname}${u.search}`);
    expect(reopened.status).toBe(200);
    expect(reopened.headers.get("x-served-by")).toBe("primary");
    expect(sessionCookie(reopened) ?? "").not.toMatch(/^v1p/);
    const pinned = await underNewSecret("/", withCookie(cookie ?? ""));
    expect(pinned.headers.get("x-served-by")).toBe("primary");
    expect(sessionCookie(pinned) ?? "").not.toMatch(/^v1p/);
  });

  it("a pinned session ends with its link, with a detached policy, or on a host that never issued links", async () => {
    const p = await pair("preview-end", { policy: { weight: 0 } });
    await link(p.primaryId, { arm: "staging" });
    const key = await importSessionKey(SECRET);
    const nowS = Math.floor(Date.now() / 1000);
    const claims = {
      arm: "staging" as const,
      policyId: p.policyId,
      epoch: 1,
      sid: "c2Vzc2lvbmlkMTIzNDU2Nzg",
      startedAt: nowS - 100,
    };
    const ended = await signSession({ ...claims, lastSeenAt: nowS - 100, pinnedUntil: nowS - 1 }, key);
    expect((await viewer(p.host, "/", withCookie(ended))).headers.get("x-served-by")).toBe("primary");
    const live = await signSession({ ...claims, lastSeenAt: nowS - 100, pinnedUntil: nowS + 600 }, key);
    expect((await viewer(p.host, "/", withCookie(live))).headers.get("x-served-by")).toBe("staging");
    await expectJson(await ext("DELETE", `/${p.primaryId}/policy`), 200);
    expect((await viewer(p.host, "/", withCookie(live))).headers.get("x-served-by")).toBe("primary");

    // A primary that never issued a link does not even look at the token.
    const quiet = await pair("preview-never", { policy: { weight: 0, sticky: false } });
    const token = await signPreviewToken({ arm: "staging", primaryId: quiet.primaryId, expiresAt: nowS + 600 }, key);
    const res = await viewer(quiet.host, `/?sf-preview=${token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-served-by")).toBe("primary");
  });

  it("refuses links it cannot make, with JSON errors", async () => {
    const p = await pair("preview-errors", { attach: false });
    expect(await expectError(await ext("POST", `/${p.primaryId}/preview-links`, { arm: "staging" }), 409)).toBe(
      "NoAttachedPolicy",
    );
    expect(await expectError(await ext("POST", `/${p.stagingId}/preview-links`, { arm: "staging" }), 400)).toBe(
      "InvalidArgument",
    );
    expect(await expectError(await ext("POST", "/ENOSUCHDIST000/preview-links", { arm: "staging" }), 404)).toBe(
      "NoSuchDistribution",
    );
    for (const bad of [{ arm: "canary" }, { arm: "staging", expiresInSeconds: 10 }, { arm: "staging", path: "x" }]) {
      expect(await expectError(await ext("POST", `/${p.primaryId}/preview-links`, bad), 400)).toBe("InvalidArgument");
    }
    expect(await expectError(await ext("POST", `/${p.primaryId}/preview-links`), 400)).toBe("MalformedJSON");
  });
});
