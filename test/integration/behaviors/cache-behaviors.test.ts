/**
 * Cache behaviours per distribution (reference §5, issue 4): ordered CacheBehaviors with CloudFront path
 * patterns, TargetOriginId, ViewerProtocolPolicy, AllowedMethods, TTLs and the cache key. In every test primary
 * and staging have different values, and a primary viewer and a staging viewer each get their own distribution's.
 */
import { describe, expect, inject, it } from "vitest";
import { managedPolicy } from "../../../src/domain/behavior-policies/managed.js";
import type { EdgeBehavior } from "../../../src/model/edge-config.js";
import { compileCachePolicy } from "../../../src/store/compile-policies.js";
import { echo, publishTwoArms } from "../../support/worker/edge.js";
import { behavior, origin } from "../../support/worker/fixtures.js";
import { both, POLICY } from "./arms.js";

function managed(id: string): Partial<EdgeBehavior> {
  const p = managedPolicy("cache", id);
  if (p === undefined) throw new Error(`no managed cache policy ${id}`);
  return compileCachePolicy(p.config);
}
const CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
const CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6";

const cacheOf = (r: Response) => r.headers.get("x-cache");

describe("cache behaviours differ per distribution", () => {
  it("path patterns: staging's ordered behaviours (`?`, `*`, case-sensitive, first match wins); primary has none", async () => {
    const ports = inject("origins");
    const { host } = await publishTwoArms("patterns", POLICY, {
      staging: {
        origins: {
          origin: origin({ id: "origin", httpPort: ports.staging }),
          alt: origin({ id: "alt", httpPort: ports.primary, originPath: "/alt" }),
          second: origin({ id: "second", httpPort: ports.staging, originPath: "/second" }),
        },
        behaviors: [
          behavior({ pathPattern: "/api/v?/*", targetOriginId: "alt" }),
          behavior({ pathPattern: "/api/*", targetOriginId: "second" }),
          behavior({ pathPattern: "*.jpg", targetOriginId: "alt" }),
        ],
      },
    });
    const cases: [path: string, stagingOrigin: string, stagingUrl: string][] = [
      ["/api/v1/users", "primary", "/alt/api/v1/users"], // `?` is one character
      ["/api/v10/users", "staging", "/second/api/v10/users"], // …not two: the next behaviour matches
      ["/api/pic.jpg", "staging", "/second/api/pic.jpg"], // first match wins over the later `*.jpg`
      ["/img/a/b.jpg", "primary", "/alt/img/a/b.jpg"], // `*` spans `/`
      ["/img/b.JPG", "staging", "/img/b.JPG"], // case-sensitive: the default behaviour
      ["/API/v1/users", "staging", "/API/v1/users"],
    ];
    for (const [path, stagingOrigin, stagingUrl] of cases) {
      const [p, s] = await both(host, path);
      expect(await echo(p), path).toMatchObject({ origin: "primary", url: path });
      expect(await echo(s), path).toMatchObject({ origin: stagingOrigin, url: stagingUrl });
    }
  });

  it("ViewerProtocolPolicy: staging redirect-to-https (https-only under /secure/*), primary allow-all", async () => {
    const { host } = await publishTwoArms("vpp", POLICY, {
      staging: {
        defaultBehavior: behavior({ viewerProtocolPolicy: "redirect-to-https" }),
        behaviors: [behavior({ pathPattern: "/secure/*", viewerProtocolPolicy: "https-only" })],
      },
    });
    const [p, s] = await both(host, "/page?x=1");
    expect(p.status).toBe(200);
    expect(s.status).toBe(301);
    expect(s.headers.get("location")).toBe(`https://${host}/page?x=1`);
    expect(s.headers.get("x-cache")).toMatch(/^Redirect/);

    const [pPost, sPost] = await both(host, "/form", { method: "POST", body: "a=1" });
    expect((await echo(pPost)).method).toBe("POST");
    expect(sPost.status).toBe(307);

    const [pSecure, sSecure] = await both(host, "/secure/doc");
    expect(pSecure.status).toBe(200);
    expect(sSecure.status).toBe(403);

    const [, sHttps] = await both(host, "/secure/doc", {}, "https");
    // Over HTTPS staging's policy passes; the origin is http-only, so the request reaches it.
    expect(sHttps.status).toBe(200);
    expect((await echo(sHttps)).origin).toBe("staging");
  });

  it("AllowedMethods: staging GET/HEAD/OPTIONS only (POST → 403), primary all seven", async () => {
    const { host } = await publishTwoArms("methods", POLICY, {
      staging: { defaultBehavior: behavior({ allowedMethods: ["GET", "HEAD", "OPTIONS"] }) },
    });
    const [p, s] = await both(host, "/submit", { method: "POST", body: "x" });
    expect(await echo(p)).toMatchObject({ origin: "primary", method: "POST", body: "x" });
    expect(s.status).toBe(403);
    expect(await s.text()).toContain("does not accept this request method");
    const [pDel, sDel] = await both(host, "/thing", { method: "DELETE" });
    expect(pDel.status).toBe(200);
    expect(sDel.status).toBe(403);
    const [, sOptions] = await both(host, "/thing", { method: "OPTIONS" });
    expect(await echo(sOptions)).toMatchObject({ origin: "staging", method: "OPTIONS" });
  });

  it("TTLs: managed CachingDisabled on staging never caches; CachingOptimized on primary does", async () => {
    const { host } = await publishTwoArms("ttl", POLICY, {
      primary: { defaultBehavior: behavior(managed(CACHING_OPTIMIZED)) },
      staging: { defaultBehavior: behavior(managed(CACHING_DISABLED)) },
    });
    await both(host, "/asset.css");
    const [p, s] = await both(host, "/asset.css");
    expect(cacheOf(p)).toMatch(/^Hit/);
    expect((await echo(p)).origin).toBe("primary");
    expect(cacheOf(s)).toBeNull(); // never cached, so never looked up: no X-Cache
    expect((await echo(s)).origin).toBe("staging");
  });

  it("TTLs: staging MinTTL 60 caches even `no-store`; primary MinTTL 0 obeys it", async () => {
    const { host } = await publishTwoArms("minttl", POLICY, {
      staging: { defaultBehavior: behavior({ minTTL: 60 }) },
    });
    await both(host, "/live?cc=no-store");
    const [p, s] = await both(host, "/live?cc=no-store");
    expect(cacheOf(p)).toMatch(/^Miss/);
    expect(cacheOf(s)).toMatch(/^Hit/);
  });

  it("TTLs: staging MaxTTL 0 caps the origin's max-age to nothing; primary keeps it", async () => {
    const { host } = await publishTwoArms("maxttl", POLICY, {
      staging: { defaultBehavior: behavior({ defaultTTL: 0, maxTTL: 0 }) },
    });
    await both(host, "/long?cc=max-age%3D3600");
    const [p, s] = await both(host, "/long?cc=max-age%3D3600");
    expect(cacheOf(p)).toMatch(/^Hit/);
    expect(cacheOf(s)).toBeNull(); // never cached, so never looked up: no X-Cache
  });

  it("cache key: staging keys (and forwards) only the `v` query string; primary keys and forwards all", async () => {
    const allowV: EdgeBehavior["cacheKey"] = {
      queryStrings: { mode: "allow", names: ["v"] },
      cookies: { mode: "none" },
      headers: { mode: "none" },
    };
    // Legacy ForwardedValues: the cache key is also exactly what the origin receives.
    const forwarded = { queryStrings: allowV.queryStrings, cookies: allowV.cookies };
    const { host } = await publishTwoArms("qskey", POLICY, {
      staging: { defaultBehavior: behavior({ cacheKey: allowV, forwarded }) },
    });
    const [p1, s1] = await both(host, "/k?v=1&utm=a");
    expect((await echo(p1)).url).toBe("/k?v=1&utm=a");
    expect((await echo(s1)).url).toBe("/k?v=1");
    const [p2, s2] = await both(host, "/k?v=1&utm=b");
    expect(cacheOf(p2)).toMatch(/^Miss/);
    expect(cacheOf(s2)).toMatch(/^Hit/);
    const [, s3] = await both(host, "/k?v=2&utm=b");
    expect(cacheOf(s3)).toMatch(/^Miss/);
  });

  it("cache key: staging varies on a header and a cookie; primary on neither", async () => {
    const byLangAndCookie: EdgeBehavior["cacheKey"] = {
      queryStrings: { mode: "none" },
      cookies: { mode: "allow", names: ["tier"] },
      headers: { mode: "allow", names: ["accept-language"] },
    };
    const { host } = await publishTwoArms("hdrkey", POLICY, {
      staging: { defaultBehavior: behavior({ cacheKey: byLangAndCookie }) },
    });
    const en = { headers: { "accept-language": "en", cookie: "tier=gold; other=1" } };
    await both(host, "/v", en);
    const [pSame, sSame] = await both(host, "/v", {
      headers: { "accept-language": "en", cookie: "tier=gold; other=2" },
    });
    expect(cacheOf(pSame)).toMatch(/^Hit/);
    expect(cacheOf(sSame)).toMatch(/^Hit/); // `other` is not in staging's key
    const [pDe, sDe] = await both(host, "/v", { headers: { "accept-language": "de", cookie: "tier=gold" } });
    expect(cacheOf(pDe)).toMatch(/^Hit/);
    expect(cacheOf(sDe)).toMatch(/^Miss/);
    const [pTier, sTier] = await both(host, "/v", { headers: { "accept-language": "en", cookie: "tier=free" } });
    expect(cacheOf(pTier)).toMatch(/^Hit/);
    expect(cacheOf(sTier)).toMatch(/^Miss/);
  });
});
