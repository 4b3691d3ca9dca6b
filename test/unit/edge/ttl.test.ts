import { describe, expect, it } from "vitest";
import { cacheTtl, DEFAULT_ERROR_CACHING_MIN_TTL, errorCachingTtl, parseCacheControl } from "../../../src/edge/ttl.js";
import type { EdgeErrorResponse } from "../../../src/model/edge-config.js";

/** MinTTL 0, DefaultTTL 1 day, MaxTTL 1 year: CloudFront's legacy defaults. */
const open = { minTTL: 0, defaultTTL: 86_400, maxTTL: 31_536_000 };
/** MinTTL 60, DefaultTTL 300, MaxTTL 3600. */
const bounded = { minTTL: 60, defaultTTL: 300, maxTTL: 3600 };

const h = (init: Record<string, string> = {}) => new Headers(init);
const DATE = "Sun, 22 Nov 2026 02:00:00 GMT";
const at = (offsetS: number) => new Date(Date.parse(DATE) + offsetS * 1000).toUTCString();

describe("cacheTtl: origin directives bounded by the behaviour's TTLs", () => {
  // [case, headers, settings, expected seconds]
  const table: [string, Record<string, string>, typeof open, number][] = [
    ["no caching header → DefaultTTL", {}, open, 86_400],
    ["no caching header, MinTTL > 0 → DefaultTTL (≥ MinTTL)", {}, bounded, 300],
    ["no caching header, MinTTL above DefaultTTL → MinTTL", {}, { minTTL: 600, defaultTTL: 300, maxTTL: 3600 }, 600],
    ["unrelated directives only → DefaultTTL", { "cache-control": "public, must-revalidate" }, bounded, 300],
    ["max-age within bounds", { "cache-control": "max-age=120" }, bounded, 120],
    ["max-age below MinTTL → MinTTL", { "cache-control": "max-age=10" }, bounded, 60],
    ["max-age above MaxTTL → MaxTTL", { "cache-control": "max-age=86400" }, bounded, 3600],
    ["max-age at MinTTL", { "cache-control": "max-age=60" }, bounded, 60],
    ["max-age at MaxTTL", { "cache-control": "max-age=3600" }, bounded, 3600],
    ["max-age=0 with MinTTL 0 → not stored", { "cache-control": "max-age=0" }, open, 0],
    ["max-age=0 with MinTTL > 0 → MinTTL", { "cache-control": "max-age=0" }, bounded, 60],
    ["s-maxage wins over max-age", { "cache-control": "max-age=100, s-maxage=200" }, bounded, 200],
    ["s-maxage wins even when smaller", { "cache-control": "s-maxage=90, max-age=3000" }, bounded, 90],
    ["s-maxage above MaxTTL → MaxTTL", { "cache-control": "s-maxage=99999" }, bounded, 3600],
    ["directive names are case-insensitive", { "cache-control": "Max-Age=120" }, bounded, 120],
    ["quoted value is accepted", { "cache-control": 'max-age="120"' }, bounded, 120],
    ["first of duplicate max-age wins", { "cache-control": "max-age=120, max-age=900" }, bounded, 120],
    ["unparsable max-age counts as stale", { "cache-control": "max-age=soon" }, open, 0],
    ["negative max-age counts as stale", { "cache-control": "max-age=-5" }, bounded, 60],
    ["huge max-age is capped by MaxTTL", { "cache-control": "max-age=999999999999999999" }, open, 31_536_000],
    ["no-store, MinTTL 0 → not stored", { "cache-control": "no-store" }, open, 0],
    ["no-store, MinTTL > 0 → MinTTL", { "cache-control": "no-store" }, bounded, 60],
    ["no-cache, MinTTL 0 → not stored", { "cache-control": "no-cache" }, open, 0],
    ["no-cache, MinTTL > 0 → MinTTL", { "cache-control": "no-cache" }, bounded, 60],
    ["private, MinTTL 0 → not stored", { "cache-control": "private, max-age=600" }, open, 0],
    ["private, MinTTL > 0 → MinTTL", { "cache-control": "private" }, bounded, 60],
    ['qualified private="x" counts as private', { "cache-control": 'private="x-user", max-age=600' }, open, 0],
    ['qualified no-cache="set-cookie" counts as no-cache', { "cache-control": 'no-cache="set-cookie"' }, open, 0],
    ["NO-STORE in capitals", { "cache-control": "NO-STORE" }, open, 0],
    ["no-store beats s-maxage", { "cache-control": "s-maxage=600, no-store" }, open, 0],
    ["Expires in the future, measured from Date", { date: DATE, expires: at(1800) }, bounded, 1800],
    ["Expires beyond MaxTTL → MaxTTL", { date: DATE, expires: at(7200) }, bounded, 3600],
    ["Expires before MinTTL → MinTTL", { date: DATE, expires: at(5) }, bounded, 60],
    ["Expires in the past, MinTTL 0 → not stored", { date: DATE, expires: at(-60) }, open, 0],
    ["Expires in the past, MinTTL > 0 → MinTTL", { date: DATE, expires: at(-60) }, bounded, 60],
    ["invalid Expires means already expired", { date: DATE, expires: "0" }, open, 0],
    ["max-age wins over Expires", { date: DATE, expires: at(1800), "cache-control": "max-age=120" }, bounded, 120],
    ["s-maxage wins over Expires", { date: DATE, expires: at(100), "cache-control": "s-maxage=900" }, bounded, 900],
    ["Expires without Date (and no now) is treated as expired", { expires: at(1800) }, open, 0],
    ["Set-Cookie: never stored", { "set-cookie": "a=1", "cache-control": "max-age=600" }, open, 0],
    ["Set-Cookie: never stored, even with MinTTL > 0", { "set-cookie": "a=1" }, bounded, 0],
    ["Vary: * cannot be stored", { vary: "*", "cache-control": "max-age=600" }, open, 0],
    ["Vary: * among other names", { vary: "accept-encoding, *" }, bounded, 0],
    [
      "an ordinary Vary does not prevent storing",
      { vary: "accept-encoding", "cache-control": "max-age=600" },
      open,
      600,
    ],
  ];

  it.each(table)("%s", (_name, headers, b, expected) => {
    expect(cacheTtl(200, h(headers), b)).toBe(expected);
  });

  it("measures Expires from `now` when the response has no Date", () => {
    expect(cacheTtl(200, h({ expires: at(1800) }), bounded, { now: Date.parse(DATE) })).toBe(1800);
    // a Date header, when present, is the base rather than now
    expect(cacheTtl(200, h({ date: DATE, expires: at(1800) }), bounded, { now: Date.parse(DATE) + 600_000 })).toBe(
      1800,
    );
  });
});

describe("cacheTtl: which statuses are stored", () => {
  const withMaxAge = () => h({ "cache-control": "max-age=120" });

  it.each([200, 203, 300, 301, 302, 303])("%i is stored", (status) => {
    expect(cacheTtl(status, withMaxAge(), open)).toBe(120);
    expect(cacheTtl(status, h(), open)).toBe(86_400);
  });

  it.each([307, 308])("%i is stored only when the origin sent Cache-Control", (status) => {
    expect(cacheTtl(status, withMaxAge(), open)).toBe(120);
    expect(cacheTtl(status, h({ "cache-control": "public" }), open)).toBe(86_400);
    expect(cacheTtl(status, h(), open)).toBe(0);
  });

  it.each([100, 101, 201, 202, 204, 206, 304])(
    "%i is never stored (partial, not-modified or not a representation)",
    (status) => {
      expect(cacheTtl(status, withMaxAge(), open)).toBe(0);
      expect(cacheTtl(status, withMaxAge(), bounded)).toBe(0);
    },
  );

  it("hands error statuses to the error caching rules, with the distribution's custom errors", () => {
    expect(cacheTtl(404, h(), open)).toBe(DEFAULT_ERROR_CACHING_MIN_TTL);
    const custom: EdgeErrorResponse[] = [
      { errorCode: 404, responsePagePath: "", responseCode: 0, errorCachingMinTTL: 45 },
    ];
    expect(cacheTtl(404, h(), open, { customErrors: custom })).toBe(45);
    expect(cacheTtl(416, h(), open, { customErrors: custom })).toBe(0);
    // the behaviour's MaxTTL caps the origin's max-age on an error
    expect(cacheTtl(404, h({ "cache-control": "max-age=99999" }), bounded)).toBe(3600);
  });
});

describe("errorCachingTtl", () => {
  const custom: EdgeErrorResponse[] = [
    { errorCode: 404, responsePagePath: "/404.html", responseCode: 404, errorCachingMinTTL: 30 },
    { errorCode: 503, responsePagePath: "", responseCode: 0, errorCachingMinTTL: 0 },
    { errorCode: 403, responsePagePath: "", responseCode: 0, errorCachingMinTTL: 120 },
  ];
  const resp = (headers: Record<string, string>, maxTTL = 31_536_000) => ({ headers: h(headers), maxTTL });

  it("uses CloudFront's 10 s default for the codes it always caches", () => {
    for (const status of [404, 405, 410, 414, 500, 501, 502, 503, 504]) {
      expect(errorCachingTtl(status, [])).toBe(10);
      expect(errorCachingTtl(status, [], resp({}))).toBe(10);
    }
  });

  it("uses the matching CustomErrorResponse's ErrorCachingMinTTL", () => {
    expect(errorCachingTtl(404, custom)).toBe(30);
    expect(errorCachingTtl(503, custom)).toBe(0);
    expect(errorCachingTtl(502, custom)).toBe(10);
  });

  it("caches 400, 403, 412 and 415 only when the origin sends max-age or s-maxage", () => {
    for (const status of [400, 403, 412, 415]) {
      expect(errorCachingTtl(status, [])).toBe(0);
      expect(errorCachingTtl(status, [], resp({}))).toBe(0);
      expect(errorCachingTtl(status, [], resp({ "cache-control": "public" }))).toBe(0);
      expect(errorCachingTtl(status, [], resp({ "cache-control": "max-age=60" }))).toBe(60);
      expect(errorCachingTtl(status, [], resp({ "cache-control": "s-maxage=5" }))).toBe(10);
    }
    expect(errorCachingTtl(403, custom, resp({ "cache-control": "max-age=60" }))).toBe(120);
  });

  it("never caches 416 or codes outside CloudFront's lists", () => {
    for (const status of [401, 402, 406, 408, 409, 411, 413, 416, 418, 429, 505, 599]) {
      expect(errorCachingTtl(status, [])).toBe(0);
      expect(errorCachingTtl(status, [], resp({ "cache-control": "max-age=600" }))).toBe(0);
    }
    expect(
      errorCachingTtl(416, [{ errorCode: 416, responsePagePath: "", responseCode: 0, errorCachingMinTTL: 60 }]),
    ).toBe(0);
  });

  it("keeps an error for the greater of the minimum and the origin's lifetime, capped at MaxTTL", () => {
    expect(errorCachingTtl(404, [], resp({ "cache-control": "max-age=300" }))).toBe(300);
    expect(errorCachingTtl(404, [], resp({ "cache-control": "max-age=3" }))).toBe(10);
    expect(errorCachingTtl(404, custom, resp({ "cache-control": "max-age=3" }))).toBe(30);
    expect(errorCachingTtl(500, [], resp({ "cache-control": "max-age=300, s-maxage=900" }))).toBe(900);
    expect(errorCachingTtl(404, [], resp({ "cache-control": "max-age=99999" }, 3600))).toBe(3600);
    expect(errorCachingTtl(404, [], resp({ date: DATE, expires: at(600) }))).toBe(600);
    expect(errorCachingTtl(404, [], resp({ date: DATE, expires: at(-600) }))).toBe(10);
  });

  it("lets no-store/no-cache/private prevent caching for 404, 410, 414 and 501 only", () => {
    for (const directive of ["no-store", "no-cache", "private"]) {
      for (const status of [404, 410, 414, 501]) {
        expect(errorCachingTtl(status, [], resp({ "cache-control": directive }))).toBe(0);
      }
      for (const status of [405, 500, 502, 503, 504]) {
        expect(errorCachingTtl(status, [], resp({ "cache-control": directive }))).toBe(10);
      }
    }
  });

  it("never stores an error that sets a cookie", () => {
    expect(errorCachingTtl(404, [], resp({ "set-cookie": "a=1" }))).toBe(0);
    expect(errorCachingTtl(503, custom, resp({ "set-cookie": "a=1", "cache-control": "max-age=60" }))).toBe(0);
  });
});

describe("parseCacheControl", () => {
  it("reads the directives that decide edge caching", () => {
    expect(parseCacheControl(null)).toEqual({
      noStore: false,
      noCache: false,
      private: false,
      maxAge: null,
      sMaxAge: null,
    });
    expect(parseCacheControl(" public ,  max-age = 60 , s-maxage=120,no-cache ")).toEqual({
      noStore: false,
      noCache: true,
      private: false,
      maxAge: 60,
      sMaxAge: 120,
    });
    expect(parseCacheControl("private, no-store")).toMatchObject({ private: true, noStore: true });
  });

  it("ignores unknown directives and empty members", () => {
    expect(parseCacheControl(",,immutable, stale-while-revalidate=30,")).toEqual(parseCacheControl(null));
  });
});
