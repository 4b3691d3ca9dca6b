/**
 * Origins and origin groups per distribution (reference §5, issue 4): DomainName and ports, OriginPath,
 * CustomHeaders, the origin protocol policy, the read timeout, and origin-group failover (on the configured
 * status codes or a connection failure, for GET/HEAD/OPTIONS only, as CloudFront does). Primary and staging
 * differ in each, and each viewer gets their own distribution's.
 */
import { describe, expect, inject, it } from "vitest";
import { echo, publishTwoArms, viewer } from "../../support/worker/edge.js";
import { behavior, origin } from "../../support/worker/fixtures.js";
import { both, POLICY, TO_STAGING } from "./arms.js";

describe("origins differ per distribution", () => {
  it("OriginPath and CustomHeaders: staging's are sent to its origin, primary's origin sees neither", async () => {
    const ports = inject("origins");
    const { host } = await publishTwoArms("originpath", POLICY, {
      staging: {
        origins: {
          origin: origin({
            id: "origin",
            httpPort: ports.staging,
            originPath: "/v2",
            customHeaders: [
              ["x-origin-secret", "s3cr3t"],
              ["x-team", "edge"],
            ],
          }),
        },
      },
    });
    // A viewer cannot override a custom header: the origin's value replaces the viewer's.
    const [p, s] = await both(host, "/doc?q=1", { headers: { "x-team": "viewer" } });
    const pe = await echo(p);
    const se = await echo(s);
    expect(pe).toMatchObject({ origin: "primary", url: "/doc?q=1" });
    expect(pe.headers["x-origin-secret"]).toBeUndefined();
    expect(pe.headers["x-team"]).toBe("viewer");
    expect(se).toMatchObject({ origin: "staging", url: "/v2/doc?q=1" });
    expect(se.headers["x-origin-secret"]).toBe("s3cr3t");
    expect(se.headers["x-team"]).toBe("edge");
  });

  it("DomainName/port: the same origin id points at different servers on each side", async () => {
    const ports = inject("origins");
    const { host } = await publishTwoArms("originport", POLICY, {
      // Swapped: primary's "origin" is the staging server and staging's is the primary server.
      primary: { origins: { origin: origin({ id: "origin", httpPort: ports.staging }) } },
      staging: { origins: { origin: origin({ id: "origin", domainName: "localhost", httpPort: ports.primary }) } },
    });
    const [p, s] = await both(host, "/which");
    expect((await echo(p)).origin).toBe("staging");
    expect((await echo(s)).origin).toBe("primary");
  });

  it("protocol policy: staging's match-viewer goes to the HTTPS port for an HTTPS viewer; primary's http-only does not", async () => {
    const ports = inject("origins");
    // Both arms forward CloudFront-Forwarded-Proto, so the origin reports the viewer's scheme.
    const forwardsProto = behavior({
      forwarded: { queryStrings: { mode: "all" }, cookies: { mode: "all" }, viewerProto: true },
    });
    const { host } = await publishTwoArms("originproto", POLICY, {
      primary: { defaultBehavior: forwardsProto },
      staging: {
        defaultBehavior: forwardsProto,
        // The HTTPS port is a plain-HTTP server: a TLS handshake with it fails, so reaching it shows HTTPS was used.
        origins: {
          origin: origin({
            id: "origin",
            protocolPolicy: "match-viewer",
            httpPort: ports.staging,
            httpsPort: ports.staging,
            connectionAttempts: 1,
          }),
        },
      },
    });
    const [pHttp, sHttp] = await both(host, "/p");
    expect((await echo(pHttp)).headers["cloudfront-forwarded-proto"]).toBe("http");
    expect((await echo(sHttp)).origin).toBe("staging");
    // Not the cached answer to the http viewer (http and https share cache entries, as on CloudFront).
    const [pHttps, sHttps] = await both(host, "/p?cc=no-store", {}, "https");
    const pe = await echo(pHttps);
    expect(pe.origin).toBe("primary");
    expect(pe.headers["cloudfront-forwarded-proto"]).toBe("https");
    expect(sHttps.status).toBe(502);
  });

  it("read timeout: staging's 300 ms gives up on the 3 s origin (504); primary's 30 s waits for it", async () => {
    const ports = inject("origins");
    const { host } = await publishTwoArms("readtimeout", POLICY, {
      primary: { origins: { origin: origin({ id: "origin", httpPort: ports.slow, readTimeoutMs: 30_000 }) } },
      staging: { origins: { origin: origin({ id: "origin", httpPort: ports.slow, readTimeoutMs: 300 }) } },
    });
    const [p, s] = await both(host, "/slow");
    expect(p.status).toBe(200);
    expect(await p.text()).toBe("too late");
    expect(s.status).toBe(504);
  });
});

describe("connection attempts differ per distribution", () => {
  it("staging's 3 attempts get past two dropped connections; primary's 1 attempt gives up (502)", async () => {
    const ports = inject("origins");
    const { host } = await publishTwoArms("attempts", POLICY, {
      primary: { origins: { origin: origin({ id: "origin", httpPort: ports.flaky, connectionAttempts: 1 }) } },
      staging: { origins: { origin: origin({ id: "origin", httpPort: ports.flaky, connectionAttempts: 3 }) } },
    });
    // Each key is dropped twice by the origin, then answered: a key per viewer, so neither sees the other's drops.
    const key = host.split(".")[0] ?? "";
    const p = await viewer(host, `/${key}-primary/2`);
    expect(p.status).toBe(502);
    const s = await viewer(host, `/${key}-staging/2`, { headers: TO_STAGING });
    expect(s.status).toBe(200);
    expect(await s.text()).toBe("attempt 3");
  });
});

describe("origin groups (staging only)", () => {
  it("fail over to the secondary on a listed status for GET/HEAD/OPTIONS, never for POST", async () => {
    const ports = inject("origins");
    const unavailable = origin({ id: "unavailable", httpPort: ports.unavailable });
    const { host } = await publishTwoArms("failover-status", POLICY, {
      primary: {
        origins: { origin: unavailable },
        defaultBehavior: behavior({ targetOriginId: "origin", maxTTL: 0 }),
      },
      staging: {
        origins: { unavailable, origin: origin({ id: "origin", httpPort: ports.staging }) },
        originGroups: {
          group: {
            id: "group",
            primaryOriginId: "unavailable",
            secondaryOriginId: "origin",
            failoverStatusCodes: [503],
          },
        },
        defaultBehavior: behavior({ targetOriginId: "group", maxTTL: 0 }),
      },
    });
    const [p, s] = await both(host, "/item");
    expect(p.status).toBe(503);
    expect(await p.text()).toBe("unavailable");
    expect(await echo(s)).toMatchObject({ origin: "staging", method: "GET", url: "/item" });
    for (const method of ["HEAD", "OPTIONS"]) {
      const [pm, sm] = await both(host, "/item", { method });
      expect(pm.status, method).toBe(503);
      expect(sm.status, method).toBe(200);
      expect(sm.headers.get("x-origin"), method).toBe("staging");
    }
    const [pPost, sPost] = await both(host, "/item", { method: "POST", body: "x" });
    expect(pPost.status).toBe(503);
    expect(sPost.status).toBe(503);
    expect(await sPost.text()).toBe("unavailable");
  });

  it("fail over on a connection failure; a status not listed is passed through", async () => {
    const ports = inject("origins");
    const { host } = await publishTwoArms("failover-down", POLICY, {
      staging: {
        origins: {
          down: origin({ id: "down", httpPort: ports.down, connectionAttempts: 1 }),
          unavailable: origin({ id: "unavailable", httpPort: ports.unavailable }),
          origin: origin({ id: "origin", httpPort: ports.staging }),
        },
        originGroups: {
          fromDown: {
            id: "fromDown",
            primaryOriginId: "down",
            secondaryOriginId: "origin",
            failoverStatusCodes: [500],
          },
          strict: {
            id: "strict",
            primaryOriginId: "unavailable",
            secondaryOriginId: "origin",
            failoverStatusCodes: [500, 502, 504],
          },
        },
        defaultBehavior: behavior({ targetOriginId: "fromDown", maxTTL: 0 }),
        behaviors: [behavior({ pathPattern: "/strict/*", targetOriginId: "strict", maxTTL: 0 })],
      },
    });
    const [p, s] = await both(host, "/x");
    expect((await echo(p)).origin).toBe("primary");
    expect((await echo(s)).origin).toBe("staging");
    const [pStrict, sStrict] = await both(host, "/strict/x");
    expect((await echo(pStrict)).origin).toBe("primary");
    expect(sStrict.status).toBe(503);
  });
});
