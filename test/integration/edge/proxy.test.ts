/**
 * Forwarding to the chosen origin: proxy hygiene, bodies, WebSockets, and failing origins, through the real worker
 * to real loopback servers.
 */
import { describe, expect, inject, it } from "vitest";
import { echo, publish, publishTwoArms, uniqueHost, viewer } from "../../support/worker/edge.js";
import { behavior, distribution, headerPolicy, origin, viewerHost } from "../../support/worker/fixtures.js";

const TO_STAGING = { "aws-cf-cd-test": "blue" };

describe("forwarding to origins", () => {
  it("strips hop-by-hop headers both ways and sets X-Forwarded-For and -Host", async () => {
    const { host } = await publishTwoArms("hygiene", null);
    const response = await viewer(host, "/path?q=1", {
      headers: {
        connection: "x-private",
        "x-private": "secret",
        "keep-alive": "timeout=5",
        "x-kept": "yes",
        "cf-connecting-ip": "203.0.113.7",
        "x-forwarded-for": "198.51.100.1",
      },
    });
    const body = await echo(response);
    expect(body.url).toBe("/path?q=1");
    expect(body.headers["x-private"]).toBeUndefined();
    expect(body.headers["keep-alive"]).toBeUndefined();
    expect(body.headers["x-kept"]).toBe("yes");
    // As CloudFront: the viewer's address appended; the Host this behaviour forwards (AllViewer) as X-Forwarded-Host.
    expect(body.headers["x-forwarded-for"]).toBe("198.51.100.1, 203.0.113.7");
    expect(body.headers["x-forwarded-host"]).toBe(host);
    expect(body.headers["x-forwarded-proto"]).toBeUndefined();
    expect(body.headers["cloudfront-forwarded-proto"]).toBeUndefined();
    // The origin named x-hop in its Connection header: it must not reach the viewer.
    expect(response.headers.get("x-hop")).toBeNull();
    expect(response.headers.get("x-origin")).toBe("primary");
  });

  it("removes proxy-* headers whatever the Connection header holds, and what it names in any case", async () => {
    const { host } = await publishTwoArms("hygiene-tokens", null);
    // One token the runtime manages (the common case, looked at without splitting), then a list in mixed case.
    for (const [i, connection] of ["keep-alive", "close", "Keep-Alive, X-Private", " x-private ,close"].entries()) {
      // A path each: the behaviour caches.
      const body = await echo(
        await viewer(host, `/tokens/${i}`, {
          headers: {
            connection,
            "x-private": "secret",
            "proxy-authorization": "Basic dXNlcjpwYXNz",
            "proxy-connection": "keep-alive",
            "x-kept": "yes",
          },
        }),
      );
      expect(body.headers["proxy-authorization"], connection).toBeUndefined();
      expect(body.headers["proxy-connection"], connection).toBeUndefined();
      expect(body.headers["x-kept"], connection).toBe("yes");
      const named = connection.toLowerCase().includes("x-private");
      expect(body.headers["x-private"], connection).toBe(named ? undefined : "secret");
    }
  });

  it("tells the origin the viewer's Host and scheme only when the behaviour forwards them", async () => {
    const forwarding = (viewerHost: boolean, viewerProto: boolean) => ({
      defaultBehavior: behavior({
        maxTTL: 0,
        forwarded: { queryStrings: { mode: "all" }, cookies: { mode: "all" }, viewerHost, viewerProto },
      }),
    });
    // Staging forwards both (AllViewerAndCloudFrontHeaders); primary neither (AllViewerExceptHostHeader).
    const { host } = await publishTwoArms("forwardedhost", headerPolicy("aws-cf-cd-test", "blue"), {
      primary: forwarding(false, false),
      staging: forwarding(true, true),
    });
    const p = await echo(await viewer(host, "/"));
    expect(p.origin).toBe("primary");
    expect(p.headers["x-forwarded-host"]).toBeUndefined();
    expect(p.headers["cloudfront-forwarded-proto"]).toBeUndefined();
    const s = await echo(await viewer(host, "/", { headers: TO_STAGING }));
    expect(s.origin).toBe("staging");
    expect(s.headers["x-forwarded-host"]).toBe(host);
    expect(s.headers["cloudfront-forwarded-proto"]).toBe("http");
  });

  it("passes an uncached behaviour's response through untouched, without X-Cache, unless it must edit it", async () => {
    const uncached = { defaultBehavior: behavior({ maxTTL: 0 }) };
    const { host } = await publishTwoArms("passthrough", null, { primary: uncached, staging: uncached });
    const plain = await viewer(host, "/plain?hop=0");
    expect((await echo(plain)).origin).toBe("primary");
    expect(plain.headers.get("x-cache")).toBeNull();
    expect(plain.headers.get("x-origin")).toBe("primary");
    expect(plain.headers.get("content-length")).not.toBeNull();
    // A response naming x-hop in its Connection header is copied so x-hop can be removed; still no X-Cache.
    const named = await viewer(host, "/named");
    expect(named.headers.get("x-hop")).toBeNull();
    expect(named.headers.get("x-origin")).toBe("primary");
    expect(named.headers.get("x-cache")).toBeNull();
  });

  it("passes redirects back to the viewer instead of following them", async () => {
    const { host } = await publishTwoArms("redirect", null);
    const response = await viewer(host, "/r?status=302&location=/elsewhere", { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/elsewhere");
  });

  it("streams a POST body to the chosen origin (staging by header)", async () => {
    const { host } = await publishTwoArms("post", headerPolicy("aws-cf-cd-test", "blue"));
    const payload = "x".repeat(200_000);
    const stream = new Blob([payload]).stream();
    const response = await viewer(host, "/upload", { method: "POST", body: stream, headers: TO_STAGING });
    const body = await echo(response);
    expect(body.origin).toBe("staging");
    expect(body.method).toBe("POST");
    expect(body.body.length).toBe(payload.length);
    const put = await echo(await viewer(host, "/upload", { method: "PUT", body: "small" }));
    expect(put).toMatchObject({ origin: "primary", method: "PUT", body: "small" });
  });

  it("carries WebSocket upgrades to the chosen origin", async () => {
    const { host } = await publishTwoArms("ws", headerPolicy("aws-cf-cd-test", "blue"));
    for (const [headers, expected] of [
      [{ upgrade: "websocket", ...TO_STAGING }, "staging"],
      [{ upgrade: "websocket" }, "primary"],
    ] as const) {
      const response = await viewer(host, "/socket", { headers });
      expect(response.status).toBe(101);
      const socket = response.webSocket;
      if (socket === null) throw new Error("no WebSocket in the 101 response");
      socket.accept();
      const reply = new Promise<string>((resolve) => {
        socket.addEventListener("message", (event) => resolve(String(event.data)));
      });
      socket.send("hello");
      expect(await reply).toBe(`${expected}:hello`);
      socket.close();
    }
  });

  it("answers 502 with a page that names no internals when the origin is down", async () => {
    const ports = inject("origins");
    const host = uniqueHost("down");
    const dist = distribution("EDOWN000000001", ports.down, {
      origins: { origin: origin({ id: "origin", httpPort: ports.down, connectionAttempts: 1 }) },
    });
    await publish(viewerHost(host, dist));
    const response = await viewer(host);
    expect(response.status).toBe(502);
    const page = await response.text();
    expect(page).toContain("could not be reached");
    expect(page).not.toContain(String(ports.down));
    expect(page).not.toContain("127.0.0.1");
  });

  it("answers 504 when the origin does not answer within its read timeout", async () => {
    const ports = inject("origins");
    const host = uniqueHost("slow");
    const dist = distribution("ESLOW000000001", ports.slow, {
      origins: { origin: origin({ id: "origin", httpPort: ports.slow, readTimeoutMs: 300 }) },
    });
    await publish(viewerHost(host, dist));
    const response = await viewer(host);
    expect(response.status).toBe(504);
    expect(await response.text()).toContain("did not answer in time");
  });
});
