/**
 * What the origin receives of the viewer's query string and cookies: the behaviour's forwarded lists (the cache
 * key's, or everything under an "all viewer" origin request policy), and never splitfront's session cookie.
 */
import { describe, expect, it } from "vitest";
import type { CacheKeyList, EdgeBehavior } from "../../../src/model/edge-config.js";
import { echo, publishTwoArms, sessionCookie, viewer } from "../../support/worker/edge.js";
import { behavior, weightPolicy } from "../../support/worker/fixtures.js";

const NO_KEY: EdgeBehavior["cacheKey"] = {
  queryStrings: { mode: "none" },
  cookies: { mode: "none" },
  headers: { mode: "none" },
};

async function originSees(forwarded: EdgeBehavior["forwarded"], path: string, cookie: string) {
  const { host } = await publishTwoArms("fwd", null, {
    primary: { defaultBehavior: behavior({ maxTTL: 0, defaultTTL: 0, cacheKey: NO_KEY, forwarded }) },
  });
  return echo(await viewer(host, path, { headers: { cookie } }));
}

describe("forwarding to the origin", () => {
  it("forwards no cookies and no query string when the behaviour forwards none (a cache policy alone)", async () => {
    const body = await originSees({ queryStrings: { mode: "none" }, cookies: { mode: "none" } }, "/p?a=1", "x=1");
    expect(body.url).toBe("/p");
    expect(body.headers.cookie).toBeUndefined();
  });

  it("forwards everything under an all-viewer policy, even what the cache key leaves out", async () => {
    const body = await originSees(
      { queryStrings: { mode: "all" }, cookies: { mode: "all" } },
      "/p?a=1&b=2",
      "x=1; y=2",
    );
    expect(body.url).toBe("/p?a=1&b=2");
    expect(body.headers.cookie).toBe("x=1; y=2");
  });

  it("forwards only the listed cookies and query strings", async () => {
    const body = await originSees(
      { queryStrings: { mode: "allow", names: ["a"] }, cookies: { mode: "allow", names: ["y"] } },
      "/p?a=1&b=2",
      "x=1; y=2; z=3",
    );
    expect(body.url).toBe("/p?a=1");
    expect(body.headers.cookie).toBe("y=2");
  });

  it("never forwards the session cookie, even when every cookie is forwarded or it is listed", async () => {
    const sticky = { idleTTL: 300, maximumTTL: 600 };
    const lists: CacheKeyList[] = [{ mode: "all" }, { mode: "allow", names: ["sf-cd-session", "a"] }];
    for (const cookies of lists) {
      const { host } = await publishTwoArms("fwdsession", weightPolicy(0.1, sticky), {
        primary: { defaultBehavior: behavior({ forwarded: { queryStrings: { mode: "all" }, cookies } }) },
        staging: { defaultBehavior: behavior({ forwarded: { queryStrings: { mode: "all" }, cookies } }) },
      });
      const first = await viewer(host, "/?cc=no-store");
      const session = sessionCookie(first);
      const body = await echo(
        await viewer(host, "/?cc=no-store", { headers: { cookie: `a=1; sf-cd-session=${session}` } }),
      );
      expect(body.headers.cookie).toBe("a=1");
    }
  });
});
