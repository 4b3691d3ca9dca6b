import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultRootPath, methodAllowed, methodCached, selectBehavior } from "../../../src/edge/behaviors.js";
import { compilePathPattern } from "../../../src/edge/path-pattern.js";
import type { EdgeBehavior } from "../../../src/model/edge-config.js";
import { behavior, distribution } from "../../support/worker/fixtures.js";

const at = (pathPattern: string, targetOriginId: string): EdgeBehavior => behavior({ pathPattern, targetOriginId });

describe("selectBehavior", () => {
  const dist = distribution("EPRIMARY000001", 8080, {
    defaultBehavior: behavior({ targetOriginId: "default" }),
    behaviors: [
      at("/api/v1/*", "api-v1"),
      at("/api/*", "api"),
      at("*.jpg", "images"),
      at("/static/??/*", "static-2"),
      at("/exact.txt", "exact"),
    ],
  });
  const target = (path: string) => selectBehavior(dist, path).targetOriginId;

  it("picks the first matching behaviour in order, not the most specific", () => {
    expect(target("/api/v1/users")).toBe("api-v1");
    expect(target("/api/v2/users")).toBe("api");
    // `/api/*` comes before `*.jpg`, so an image under /api/ goes to the api origin
    expect(target("/api/logo.jpg")).toBe("api");
    expect(target("/img/logo.jpg")).toBe("images");
    expect(target("/static/ab/x.css")).toBe("static-2");
    expect(target("/exact.txt")).toBe("exact");
  });

  it("falls back to the default behaviour, which is always last", () => {
    expect(target("/")).toBe("default");
    expect(target("/api")).toBe("default");
    expect(target("/static/abc/x.css")).toBe("default");
    expect(target("/exact.txt2")).toBe("default");
    expect(selectBehavior(dist, "/nothing")).toBe(dist.defaultBehavior);
  });

  it("an earlier, broader pattern shadows a later, narrower one", () => {
    const shadowed = distribution("EPRIMARY000002", 8080, {
      behaviors: [at("*", "catch-all"), at("/api/*", "api")],
    });
    expect(selectBehavior(shadowed, "/api/x").targetOriginId).toBe("catch-all");
  });

  it("finds the right one of 100 behaviours, including the last", () => {
    const many = Array.from({ length: 100 }, (_, i) => at(`/section-${i}/*.html`, `origin-${i}`));
    const big = distribution("EPRIMARY000003", 8080, { behaviors: many });
    for (const i of [0, 1, 42, 98, 99]) {
      expect(selectBehavior(big, `/section-${i}/deep/page.html`).targetOriginId).toBe(`origin-${i}`);
    }
    expect(selectBehavior(big, "/section-100/page.html")).toBe(big.defaultBehavior);
    expect(selectBehavior(big, "/section-5/page.css")).toBe(big.defaultBehavior);
  });

  it("agrees with a plain in-order scan for random behaviour lists and paths", () => {
    const piece = fc.constantFrom("/", "a", "b", "ab", "*", "?", ".x");
    const pattern = fc.array(piece, { minLength: 1, maxLength: 5 }).map((parts) => parts.join(""));
    const path = fc.array(fc.constantFrom("/", "a", "b", ".x"), { maxLength: 6 }).map((parts) => `/${parts.join("")}`);
    fc.assert(
      fc.property(
        fc.array(pattern, { maxLength: 8 }),
        fc.array(path, { minLength: 1, maxLength: 5 }),
        (patterns, paths) => {
          const dist = distribution("EPROPERTY00001", 8080, {
            behaviors: patterns.map((p, i) => at(p, `o${i}`)),
          });
          for (const p of paths) {
            const naive = dist.behaviors.find((b) => b.pathPattern !== null && compilePathPattern(b.pathPattern)(p));
            expect(selectBehavior(dist, p)).toBe(naive ?? dist.defaultBehavior);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("compiles per behaviours array: a new config with new patterns is honoured", () => {
    const first = distribution("EPRIMARY000004", 8080, { behaviors: [at("/a/*", "one")] });
    expect(selectBehavior(first, "/a/x").targetOriginId).toBe("one");
    const second = { ...first, behaviors: [at("/a/*", "two")] };
    expect(selectBehavior(second, "/a/x").targetOriginId).toBe("two");
    expect(selectBehavior(first, "/a/x").targetOriginId).toBe("one");
  });
});

describe("defaultRootPath", () => {
  const withRoot = { defaultRootObject: "index.html" };
  const withoutRoot = { defaultRootObject: "" };

  it("rewrites only the root path", () => {
    expect(defaultRootPath(withRoot, "/")).toBe("/index.html");
    expect(defaultRootPath(withRoot, "/photos/")).toBe("/photos/");
    expect(defaultRootPath(withRoot, "/index.html")).toBe("/index.html");
    expect(defaultRootPath(withRoot, "/x")).toBe("/x");
  });

  it("leaves the root alone when no default root object is set", () => {
    expect(defaultRootPath(withoutRoot, "/")).toBe("/");
  });

  it("does not double a leading slash in the object name", () => {
    expect(defaultRootPath({ defaultRootObject: "/home.html" }, "/")).toBe("/home.html");
  });
});

describe("methodAllowed / methodCached", () => {
  const readOnly = behavior({ allowedMethods: ["GET", "HEAD"], cachedMethods: ["GET", "HEAD"] });
  const withOptions = behavior({
    allowedMethods: ["GET", "HEAD", "OPTIONS"],
    cachedMethods: ["GET", "HEAD", "OPTIONS"],
  });
  const all = behavior({
    allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
    cachedMethods: ["GET", "HEAD"],
  });

  it("allows exactly the configured methods", () => {
    expect(methodAllowed(readOnly, "GET")).toBe(true);
    expect(methodAllowed(readOnly, "HEAD")).toBe(true);
    expect(methodAllowed(readOnly, "OPTIONS")).toBe(false);
    expect(methodAllowed(readOnly, "POST")).toBe(false);
    expect(methodAllowed(withOptions, "OPTIONS")).toBe(true);
    expect(methodAllowed(withOptions, "DELETE")).toBe(false);
    for (const m of ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"])
      expect(methodAllowed(all, m)).toBe(true);
    expect(methodAllowed(all, "TRACE")).toBe(false);
    expect(methodAllowed(all, "CONNECT")).toBe(false);
  });

  it("compares method names case-insensitively (fetch does not upper-case PATCH)", () => {
    expect(methodAllowed(all, "patch")).toBe(true);
    expect(methodAllowed(readOnly, "post")).toBe(false);
  });

  it("caches only cached methods that are also allowed", () => {
    expect(methodCached(readOnly, "GET")).toBe(true);
    expect(methodCached(readOnly, "HEAD")).toBe(true);
    expect(methodCached(readOnly, "OPTIONS")).toBe(false);
    expect(methodCached(withOptions, "OPTIONS")).toBe(true);
    expect(methodCached(all, "POST")).toBe(false);
    expect(methodCached(all, "OPTIONS")).toBe(false);
    const inconsistent = behavior({ allowedMethods: ["GET", "HEAD"], cachedMethods: ["GET", "HEAD", "OPTIONS"] });
    expect(methodCached(inconsistent, "OPTIONS")).toBe(false);
  });
});
