import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compilePathPattern, normalisePathPattern } from "../../../src/edge/path-pattern.js";

/** [pattern, path, expected] */
const table: [string, string, boolean][] = [
  // `*` spans any characters, `/` included
  ["*.jpg", "/a.jpg", true],
  ["*.jpg", "/images/2024/a.jpg", true],
  ["*.jpg", "/a.jpeg", false],
  ["*.jpg", "/a.jpg/x", false],
  ["*.jpg", "/.jpg", true],
  ["/images/*", "/images/", true],
  ["/images/*", "/images/a/b/c.png", true],
  ["/images/*", "/images", false],
  ["/images/*", "/imagesx/a", false],
  ["images/*", "/images/a", true],
  ["/images/*.jpg", "/images/a.jpg", true],
  ["/images/*.jpg", "/images/sub/a.jpg", true],
  ["/images/*.jpg", "/other/a.jpg", false],
  // `?` is exactly one character
  ["/a?c/*", "/abc/x", true],
  ["/a?c/*", "/a/c/x", true],
  ["/a?c/*", "/ac/x", false],
  ["/a?c/*", "/abbc/x", false],
  ["/file?.txt", "/file1.txt", true],
  ["/file?.txt", "/file.txt", false],
  ["/file?.txt", "/file12.txt", false],
  ["/??", "/ab", true],
  ["/??", "/a", false],
  // `*` alone (the default behaviour's pattern) matches every path
  ["*", "/", true],
  ["*", "/anything/at/all", true],
  ["/*", "/x", true],
  // `/` alone is a literal: only the root
  ["/", "/", true],
  ["/", "/index.html", false],
  // no wildcard: exact match on the whole path
  ["/index.html", "/index.html", true],
  ["/index.html", "/index.html/", false],
  ["/index.html", "/a/index.html", false],
  ["index.html", "/index.html", true],
  // case-sensitive
  ["/Images/*", "/images/a.jpg", false],
  ["*.JPG", "/a.jpg", false],
  ["*.JPG", "/a.JPG", true],
  // characters that are special in regular expressions are literals here
  ["/a.b", "/a.b", true],
  ["/a.b", "/axb", false],
  ["/c++/*", "/c++/x", true],
  ["/c++/*", "/c/x", false],
  ["/f(1)", "/f(1)", true],
  ["/f(1)", "/f1", false],
  ["/$var^[x]|y\\", "/$var^[x]|y\\", true],
  ["/a+", "/aa", false],
  // several stars, and stars that must backtrack
  ["/*/*/end", "/a/b/end", true],
  ["/*/*/end", "/a/end", false],
  ["/*a*b", "/xaxxb", true],
  ["/*a*b", "/xbxa", false],
  ["/a*a*a*b", "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false],
  ["/a*a*a*b", "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", true],
  ["/a*?", "/a", false],
  ["/a*?", "/ab", true],
  ["/**", "/", true],
  ["/x**y", "/xy", true],
  // prefix and suffix must not overlap
  ["/ab*ba", "/aba", false],
  ["/ab*ba", "/abba", true],
];

describe("compilePathPattern", () => {
  it.each(table)("%s against %s → %s", (pattern, path, expected) => {
    expect(compilePathPattern(pattern)(path)).toBe(expected);
  });

  it("treats a pattern with and without the leading slash alike", () => {
    expect(normalisePathPattern("images/*.jpg")).toBe("/images/*.jpg");
    expect(normalisePathPattern("/images/*.jpg")).toBe("/images/*.jpg");
  });

  it("agrees with a reference regular-expression translation on random patterns and paths", () => {
    const alphabet = ["/", "a", "b", ".", "+", "(", ")", "[", "$", "\\"];
    const patternChar = fc.constantFrom(...alphabet, "*", "?");
    const pathChar = fc.constantFrom(...alphabet);
    fc.assert(
      fc.property(fc.array(patternChar, { maxLength: 8 }), fc.array(pathChar, { maxLength: 10 }), (pc, sc) => {
        const pattern = pc.join("");
        const path = `/${sc.join("")}`;
        expect(compilePathPattern(pattern)(path)).toBe(referenceMatch(pattern, path));
      }),
      { numRuns: 5000 },
    );
  });
});

/** Oracle: the pattern translated to an anchored RegExp, every non-wildcard character escaped. */
function referenceMatch(pattern: string, path: string): boolean {
  const p = pattern.startsWith("/") ? pattern : `/${pattern}`;
  let source = "^";
  for (const ch of p) {
    if (ch === "*") source += "[\\s\\S]*";
    else if (ch === "?") source += "[\\s\\S]";
    else source += `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
  }
  return new RegExp(`${source}$`).test(path);
}
