/**
 * Geographic restriction and the default root object per distribution (reference §5, issue 4). The viewer's
 * country is Cloudflare's request.cf.country, which workerd lets a test set on the Request.
 */
import { describe, expect, it } from "vitest";
import { echo, publishTwoArms } from "../../support/worker/edge.js";
import { both, POLICY } from "./arms.js";

describe("geo restriction differs per distribution", () => {
  it("staging allow-lists DE and FR; primary block-lists CN", async () => {
    const { host } = await publishTwoArms("geo", POLICY, {
      primary: { geoRestriction: { type: "blacklist", countries: ["CN"] } },
      staging: { geoRestriction: { type: "whitelist", countries: ["DE", "FR"] } },
    });
    const cases: [country: string | null, primary: number, staging: number][] = [
      ["DE", 200, 200],
      ["FR", 200, 200],
      ["US", 200, 403],
      ["CN", 403, 403],
      [null, 200, 200], // unknown country: served under either list, as CloudFront does
    ];
    for (const [country, primaryStatus, stagingStatus] of cases) {
      const init = country === null ? {} : { cf: { country } };
      const [p, s] = await both(host, "/page", init);
      expect(p.status, `primary ${country}`).toBe(primaryStatus);
      expect(s.status, `staging ${country}`).toBe(stagingStatus);
      if (stagingStatus === 403) expect(await s.text()).toContain("not available in your country");
      if (stagingStatus === 200) expect((await echo(s)).origin).toBe("staging");
    }
  });
});

describe("geo restriction with a custom 403 page", () => {
  it("a viewer staging blocks gets staging's 403 page (fetched despite the block); primary serves them", async () => {
    const { host } = await publishTwoArms("geo-page", POLICY, {
      staging: {
        geoRestriction: { type: "whitelist", countries: ["DE"] },
        customErrorResponses: [
          { errorCode: 403, responsePagePath: "/errors/403.html", responseCode: 0, errorCachingMinTTL: 0 },
        ],
      },
    });
    const [p, s] = await both(host, "/film", { cf: { country: "US" } });
    expect(p.status).toBe(200);
    expect(s.status).toBe(403);
    expect(await echo(s)).toMatchObject({ origin: "staging", url: "/errors/403.html" });
    const [, de] = await both(host, "/film", { cf: { country: "DE" } });
    expect(await echo(de)).toMatchObject({ origin: "staging", url: "/film" });
  });
});

describe("default root object differs per distribution", () => {
  it("`/` serves index.html on primary and v2/home.html on staging; other paths are not rewritten", async () => {
    const { host } = await publishTwoArms("root", POLICY, {
      primary: { defaultRootObject: "index.html" },
      staging: { defaultRootObject: "v2/home.html" },
    });
    const [p, s] = await both(host, "/?lang=en");
    expect(await echo(p)).toMatchObject({ origin: "primary", url: "/index.html?lang=en" });
    expect(await echo(s)).toMatchObject({ origin: "staging", url: "/v2/home.html?lang=en" });
    const [pSub, sSub] = await both(host, "/docs/");
    expect((await echo(pSub)).url).toBe("/docs/");
    expect((await echo(sSub)).url).toBe("/docs/");
  });

  it("an empty default root object on staging passes `/` through", async () => {
    const { host } = await publishTwoArms("rootnone", POLICY, { primary: { defaultRootObject: "index.html" } });
    const [p, s] = await both(host, "/");
    expect((await echo(p)).url).toBe("/index.html");
    expect((await echo(s)).url).toBe("/");
  });
});
