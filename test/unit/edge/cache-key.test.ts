import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CacheKeySettings, cacheKey, keyDisablesCaching, parseCookies } from "../../../src/edge/cache-key.js";

const none: CacheKeySettings = { queryStrings: { mode: "none" }, cookies: { mode: "none" }, headers: { mode: "none" } };
const allQuery: CacheKeySettings = { ...none, queryStrings: { mode: "all" } };
const key = (url: string, settings: CacheKeySettings, headers: Record<string, string> = {}) =>
  cacheKey(new URL(url), new Headers(headers), settings);

describe("cacheKey: scheme, host and path", () => {
  it("is just scheme, host and path when nothing else is in the key", () => {
    expect(key("https://example.com/a/b.html?x=1", none, { cookie: "s=1", accept: "text/html" })).toBe(
      "https://example.com/a/b.html",
    );
  });

  it("keeps the port and the path's case, lower-cases the host (URL parsing); http and https share the key", () => {
    expect(key("http://Example.COM:8080/A/b", none)).toBe("https://example.com:8080/A/b");
    expect(key("http://example.com/a", none)).toBe(key("https://example.com/a", none));
    expect(key("https://example.com/A", none)).not.toBe(key("https://example.com/a", none));
    expect(key("https://a.example/x", none)).not.toBe(key("https://b.example/x", none));
  });

  it("is a URL the Cache API accepts", () => {
    const k = key(
      "https://example.com/p?b=2&a=1",
      { ...allQuery, headers: { mode: "allow", names: ["x-v"] } },
      {
        "x-v": "1",
      },
    );
    expect(new URL(k).href).toBe(k);
    expect(new Request(k).url).toBe(k);
  });
});

describe("cacheKey: query strings", () => {
  it("drops the query under `none`", () => {
    expect(key("https://e.com/p?a=1", none)).toBe(key("https://e.com/p?a=2", none));
  });

  it("keeps every parameter, sorted by name, under `all`", () => {
    expect(key("https://e.com/p?b=2&a=1", allQuery)).toBe("https://e.com/p?a=1&b=2");
    expect(key("https://e.com/p?b=2&a=1", allQuery)).toBe(key("https://e.com/p?a=1&b=2", allQuery));
    expect(key("https://e.com/p?a=1", allQuery)).not.toBe(key("https://e.com/p?a=2", allQuery));
    expect(key("https://e.com/p?a=1", allQuery)).not.toBe(key("https://e.com/p?A=1", allQuery));
    expect(key("https://e.com/p", allQuery)).toBe("https://e.com/p");
    expect(key("https://e.com/p?", allQuery)).toBe("https://e.com/p");
  });

  it("keeps the order of a repeated name, which may matter to the origin", () => {
    expect(key("https://e.com/p?a=1&a=2", allQuery)).not.toBe(key("https://e.com/p?a=2&a=1", allQuery));
    expect(key("https://e.com/p?a=1&z=0&a=2", allQuery)).toBe(key("https://e.com/p?z=0&a=1&a=2", allQuery));
  });

  it("normalises equivalent encodings to one entry", () => {
    expect(key("https://e.com/p?q=a%20b", allQuery)).toBe(key("https://e.com/p?q=a+b", allQuery));
    expect(key("https://e.com/p?q=%7E", allQuery)).toBe(key("https://e.com/p?q=~", allQuery));
    expect(key("https://e.com/p?flag", allQuery)).toBe(key("https://e.com/p?flag=", allQuery));
  });

  it("keeps only the listed names (case-sensitive) under `allow`", () => {
    const allow: CacheKeySettings = { ...none, queryStrings: { mode: "allow", names: ["v", "lang"] } };
    expect(key("https://e.com/p?utm=1&v=3&lang=en", allow)).toBe("https://e.com/p?lang=en&v=3");
    expect(key("https://e.com/p?utm=1&v=3", allow)).toBe(key("https://e.com/p?v=3&utm=2", allow));
    expect(key("https://e.com/p?V=3", allow)).toBe("https://e.com/p");
    expect(key("https://e.com/p?utm=1", allow)).toBe("https://e.com/p");
  });
});

describe("cacheKey: headers and cookies", () => {
  const byHeader: CacheKeySettings = { ...none, headers: { mode: "allow", names: ["Accept-Language", "x-device"] } };
  const byCookie: CacheKeySettings = { ...none, cookies: { mode: "allow", names: ["session", "Theme"] } };
  const allCookies: CacheKeySettings = { ...none, cookies: { mode: "all" } };

  it("folds the listed headers in, names case-insensitive", () => {
    const en = key("https://e.com/p", byHeader, { "accept-language": "en" });
    expect(en).not.toBe(key("https://e.com/p", byHeader, { "accept-language": "fr" }));
    expect(en).toBe(key("https://e.com/p", byHeader, { "Accept-Language": "en", "x-other": "ignored" }));
    expect(en).not.toBe(key("https://e.com/p", byHeader));
    expect(key("https://e.com/p", byHeader, { "accept-language": "en", "x-device": "m" })).toBe(
      key("https://e.com/p", byHeader, { "x-device": "m", "accept-language": "en" }),
    );
  });

  it("tells an absent header from an empty one, and a header from a cookie", () => {
    expect(key("https://e.com/p", byHeader, { "x-device": "" })).not.toBe(key("https://e.com/p", byHeader));
    const cookieAndHeader: CacheKeySettings = {
      ...none,
      headers: { mode: "allow", names: ["session"] },
      cookies: { mode: "allow", names: ["session"] },
    };
    expect(key("https://e.com/p", cookieAndHeader, { session: "1" })).not.toBe(
      key("https://e.com/p", cookieAndHeader, { cookie: "session=1" }),
    );
  });

  it("folds the listed cookies in, names case-sensitive, order-independent", () => {
    const a = key("https://e.com/p", byCookie, { cookie: "session=abc; Theme=dark; tracking=1" });
    expect(a).toBe(key("https://e.com/p", byCookie, { cookie: "Theme=dark;session=abc" }));
    expect(a).not.toBe(key("https://e.com/p", byCookie, { cookie: "session=abc; theme=dark" }));
    expect(a).not.toBe(key("https://e.com/p", byCookie, { cookie: "session=abd; Theme=dark" }));
    expect(key("https://e.com/p", byCookie, { cookie: "tracking=1" })).toBe(key("https://e.com/p", byCookie));
  });

  it("folds every cookie in under `all`", () => {
    expect(key("https://e.com/p", allCookies, { cookie: "b=2; a=1" })).toBe(
      key("https://e.com/p", allCookies, { cookie: "a=1; b=2" }),
    );
    expect(key("https://e.com/p", allCookies, { cookie: "a=1" })).not.toBe(
      key("https://e.com/p", allCookies, { cookie: "a=1; b=2" }),
    );
  });

  it("cannot be forged by a query parameter that looks like a header or cookie", () => {
    const both: CacheKeySettings = { ...byHeader, queryStrings: { mode: "all" } };
    const real = key("https://e.com/p", both, { "x-device": "m" });
    const forged = [
      "https://e.com/p?h:x-device=m",
      "https://e.com/p?;h%3Ax-device=m",
      "https://e.com/p?%3Bh%3Ax-device=m",
      "https://e.com/p?h%3Ax-device=m",
    ].map((u) => key(u, both));
    for (const f of forged) expect(f).not.toBe(real);
  });

  it("never collides for different selected values and always matches equal ones", () => {
    const settings: CacheKeySettings = {
      queryStrings: { mode: "all" },
      headers: { mode: "allow", names: ["x-a", "x-b"] },
      cookies: { mode: "all" },
    };
    const text = fc.string({
      unit: fc.constantFrom("a", "=", ";", "&", "?", "%", " ", "+", ":", "h", "c"),
      maxLength: 6,
    });
    const input = fc.record({
      query: fc.array(fc.tuple(text, text), { maxLength: 3 }),
      headerA: fc.option(text, { nil: undefined }),
      headerB: fc.option(text, { nil: undefined }),
      cookies: fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z]{1,3}$/), fc.stringMatching(/^[a-z0-9]{0,3}$/)), {
        selector: ([name]) => name,
        maxLength: 3,
      }),
    });
    type Input = typeof input extends fc.Arbitrary<infer T> ? T : never;
    const build = (i: Input) => {
      const url = new URL("https://e.com/p");
      for (const [n, v] of i.query) url.searchParams.append(n, v);
      const headers = new Headers();
      if (i.headerA !== undefined) headers.set("x-a", i.headerA.trim());
      if (i.headerB !== undefined) headers.set("x-b", i.headerB.trim());
      if (i.cookies.length > 0) headers.set("cookie", i.cookies.map(([n, v]) => `${n}=${v}`).join("; "));
      return cacheKey(url, headers, settings);
    };
    /** What the key must distinguish: sorted-by-name query (stable), header values, cookies as a set. */
    const meaning = (i: Input) =>
      JSON.stringify([
        [...i.query].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)),
        i.headerA?.trim() ?? null,
        i.headerB?.trim() ?? null,
        [...i.cookies].sort(),
      ]);
    fc.assert(
      fc.property(input, input, (x, y) => {
        expect(build(x) === build(y)).toBe(meaning(x) === meaning(y));
      }),
      { numRuns: 3000 },
    );
  });
});

describe("keyDisablesCaching", () => {
  it("is true only when every header is forwarded", () => {
    expect(keyDisablesCaching(none)).toBe(false);
    expect(keyDisablesCaching({ ...none, headers: { mode: "allow", names: ["host"] } })).toBe(false);
    expect(keyDisablesCaching({ ...none, headers: { mode: "all" } })).toBe(true);
  });
});

describe("parseCookies", () => {
  it("splits pairs, trims, keeps raw values and nameless cookies", () => {
    expect(parseCookies("a=1; b = 2 ;c=;; d=x=y; flag")).toEqual([
      ["a", "1"],
      ["b", "2"],
      ["c", ""],
      ["d", "x=y"],
      ["", "flag"],
    ]);
  });
});
