/**
 * Edge caching with the real Cache API: per-distribution namespaces, Cache-Control obeyed within the behaviour's
 * TTL bounds, nothing that sets a cookie stored, and the sticky cookie added after the lookup.
 */
import { describe, expect, it } from "vitest";
import { echo, publishTwoArms, sessionCookie, viewer } from "../../support/worker/edge.js";
import { headerPolicy, weightPolicy } from "../../support/worker/fixtures.js";

const TO_STAGING = { "aws-cf-cd-test": "blue" };

describe("edge cache", () => {
  it("keeps primary and staging apart: same URL, two bodies, each side hits its own entry", async () => {
    const { host } = await publishTwoArms("split", headerPolicy("aws-cf-cd-test", "blue"));
    const path = "/asset.js?cc=max-age%3D60";
    const p1 = await viewer(host, path);
    expect(p1.headers.get("x-cache")).toMatch(/^Miss/);
    expect((await echo(p1)).origin).toBe("primary");
    const s1 = await viewer(host, path, { headers: TO_STAGING });
    expect(s1.headers.get("x-cache")).toMatch(/^Miss/);
    expect((await echo(s1)).origin).toBe("staging");

    const p2 = await viewer(host, path);
    expect(p2.headers.get("x-cache")).toMatch(/^Hit/);
    expect((await echo(p2)).origin).toBe("primary");
    expect(p2.headers.get("cache-control")).toBe("max-age=60");
    expect(Number(p2.headers.get("age"))).toBeGreaterThanOrEqual(0);
    const s2 = await viewer(host, path, { headers: TO_STAGING });
    expect(s2.headers.get("x-cache")).toMatch(/^Hit/);
    expect((await echo(s2)).origin).toBe("staging");
  });

  it("does not store no-store, private, Set-Cookie responses, nor non-GET requests", async () => {
    const { host } = await publishTwoArms("nostore", null);
    for (const path of ["/a?cc=no-store", "/b?cc=private", "/c?cc=max-age%3D60&set-cookie=x%3D1"]) {
      await (await viewer(host, path)).arrayBuffer();
      const again = await viewer(host, path);
      expect(again.headers.get("x-cache"), path).toMatch(/^Miss/);
      await again.arrayBuffer();
    }
    await (await viewer(host, "/d?cc=max-age%3D60", { method: "POST", body: "x" })).arrayBuffer();
    const post = await viewer(host, "/d?cc=max-age%3D60", { method: "POST", body: "x" });
    // Not looked up, so not a hit, and (the cache not consulted) no X-Cache at all.
    expect(post.headers.get("x-cache")).toBeNull();
    await post.arrayBuffer();
  });

  it("uses s-maxage, and caches responses without directives for the DefaultTTL", async () => {
    const { host } = await publishTwoArms("ttl", null);
    for (const path of ["/s?cc=s-maxage%3D60", "/plain"]) {
      await (await viewer(host, path)).arrayBuffer();
      const again = await viewer(host, path);
      expect(again.headers.get("x-cache"), path).toMatch(/^Hit/);
      await again.arrayBuffer();
    }
  });

  it("answers HEAD from the GET entry", async () => {
    const { host } = await publishTwoArms("head", null);
    await (await viewer(host, "/h?cc=max-age%3D60")).arrayBuffer();
    const head = await viewer(host, "/h?cc=max-age%3D60", { method: "HEAD" });
    expect(head.headers.get("x-cache")).toMatch(/^Hit/);
    expect(await head.text()).toBe("");
  });

  it("adds the sticky cookie after the lookup: a cached response never carries another viewer's cookie", async () => {
    const { host } = await publishTwoArms("stickycache", weightPolicy(0, { idleTTL: 300, maximumTTL: 600 }));
    const first = await viewer(host, "/page?cc=max-age%3D60");
    const firstCookie = sessionCookie(first);
    await first.arrayBuffer();
    const second = await viewer(host, "/page?cc=max-age%3D60");
    expect(second.headers.get("x-cache")).toMatch(/^Hit/);
    const secondCookie = sessionCookie(second);
    expect(firstCookie).not.toBeNull();
    expect(secondCookie).not.toBeNull();
    expect(secondCookie).not.toBe(firstCookie);
    expect(second.headers.getAll("set-cookie")).toHaveLength(1);
  });
});
