/**
 * Custom error responses per distribution (reference §5, issue 4): ErrorCode → ResponsePagePath, served through
 * the distribution's own cache behaviours, sent with ResponseCode (or the origin's status), and ErrorCachingMinTTL.
 * Staging has error pages primary lacks; each viewer gets their own distribution's answer.
 */
import { describe, expect, inject, it } from "vitest";
import { echo, publishTwoArms } from "../../support/worker/edge.js";
import { behavior, origin } from "../../support/worker/fixtures.js";
import { both, POLICY } from "./arms.js";

describe("custom error responses differ per distribution", () => {
  it("staging: 404 → /errors/404.html (from its /errors/* behaviour's origin) with 200; primary: the origin's 404", async () => {
    const ports = inject("origins");
    const { host } = await publishTwoArms("errpage", POLICY, {
      staging: {
        origins: {
          origin: origin({ id: "origin", httpPort: ports.staging }),
          pages: origin({ id: "pages", httpPort: ports.primary, originPath: "/static" }),
        },
        behaviors: [behavior({ pathPattern: "/errors/*", targetOriginId: "pages" })],
        customErrorResponses: [
          { errorCode: 404, responsePagePath: "/errors/404.html", responseCode: 200, errorCachingMinTTL: 0 },
          { errorCode: 503, responsePagePath: "/errors/503.html", responseCode: 0, errorCachingMinTTL: 0 },
        ],
      },
    });
    const [p, s] = await both(host, "/missing?status=404");
    expect(p.status).toBe(404);
    expect(await echo(p)).toMatchObject({ origin: "primary", url: "/missing?status=404" });
    expect(s.status).toBe(200);
    expect(await echo(s)).toMatchObject({ origin: "primary", url: "/static/errors/404.html", method: "GET" });
    expect(s.headers.get("x-cache")).toMatch(/^Error/);

    // ResponseCode 0 keeps the origin's status.
    const [p503, s503] = await both(host, "/busy?status=503");
    expect(p503.status).toBe(503);
    expect((await echo(p503)).url).toBe("/busy?status=503");
    expect(s503.status).toBe(503);
    expect((await echo(s503)).url).toBe("/static/errors/503.html");

    // A status with no entry is passed through on both sides.
    const [p500, s500] = await both(host, "/boom?status=500&cc=no-store");
    expect(p500.status).toBe(500);
    expect(s500.status).toBe(500);
    expect((await echo(s500)).url).toBe("/boom?status=500&cc=no-store");
  });

  it("ErrorCachingMinTTL: staging's 0 keeps a 410 out of the cache; primary's default 10 s caches it", async () => {
    const { host } = await publishTwoArms("errttl", POLICY, {
      staging: {
        customErrorResponses: [{ errorCode: 410, responsePagePath: "", responseCode: 0, errorCachingMinTTL: 0 }],
      },
    });
    await both(host, "/gone?status=410");
    const [p, s] = await both(host, "/gone?status=410");
    expect(p.status).toBe(410);
    expect(p.headers.get("x-cache")).toMatch(/^Hit/);
    expect((await echo(p)).origin).toBe("primary");
    expect(s.status).toBe(410);
    expect(s.headers.get("x-cache")).toMatch(/^Error/);
    expect((await echo(s)).origin).toBe("staging");
  });

  it("an error page that is itself unavailable: the viewer gets the page origin's status, not ResponseCode", async () => {
    // DG "Generate custom error responses": if the custom error page isn't available, CloudFront returns the
    // status code it received from the origin that holds the custom error pages.
    const ports = inject("origins");
    const { host } = await publishTwoArms("errpage-missing", POLICY, {
      staging: {
        origins: {
          origin: origin({ id: "origin", httpPort: ports.staging }),
          pages: origin({ id: "pages", httpPort: ports.unavailable }),
        },
        behaviors: [behavior({ pathPattern: "/errors/*", targetOriginId: "pages", maxTTL: 0 })],
        customErrorResponses: [
          { errorCode: 404, responsePagePath: "/errors/404.html", responseCode: 200, errorCachingMinTTL: 0 },
        ],
      },
    });
    const [p, s] = await both(host, "/missing?status=404");
    expect(p.status).toBe(404);
    expect(s.status).toBe(503);
    expect(await s.text()).toBe("unavailable");
  });

  it("edge errors get the custom page too: staging's pages for 502 (origin down) and 504 (read timeout)", async () => {
    // DG "Create a custom error page": server errors include CloudFront getting no response from the origin.
    const ports = inject("origins");
    const failing = {
      origin: origin({ id: "origin", httpPort: ports.down, connectionAttempts: 1 }),
      slow: origin({ id: "slow", httpPort: ports.slow, readTimeoutMs: 300 }),
      pages: origin({ id: "pages", httpPort: ports.staging }),
    };
    const behaviors = [
      behavior({ pathPattern: "/slow/*", targetOriginId: "slow" }),
      behavior({ pathPattern: "/errors/*", targetOriginId: "pages" }),
    ];
    const { host } = await publishTwoArms("errpage-edge", POLICY, {
      primary: { origins: failing, behaviors },
      staging: {
        origins: failing,
        behaviors,
        customErrorResponses: [
          { errorCode: 502, responsePagePath: "/errors/502.html", responseCode: 0, errorCachingMinTTL: 0 },
          { errorCode: 504, responsePagePath: "/errors/504.html", responseCode: 200, errorCachingMinTTL: 0 },
        ],
      },
    });
    const [p502, s502] = await both(host, "/page");
    expect(p502.status).toBe(502);
    expect(await p502.text()).toContain("could not be reached");
    expect(s502.status).toBe(502);
    expect(await echo(s502)).toMatchObject({ origin: "staging", url: "/errors/502.html" });
    const [p504, s504] = await both(host, "/slow/page");
    expect(p504.status).toBe(504);
    expect(await p504.text()).toContain("did not answer in time");
    expect(s504.status).toBe(200);
    expect(await echo(s504)).toMatchObject({ origin: "staging", url: "/errors/504.html" });
  });
});
