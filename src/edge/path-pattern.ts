/**
 * CloudFront cache-behaviour path patterns, compiled once into a matcher.
 *
 * Rules (CloudFront DG "Path pattern"; API CacheBehavior.PathPattern):
 * - `*` matches zero or more characters, `/` included; `?` matches exactly one character.
 * - Matching is case-sensitive and covers the whole path (the query string is not part of it).
 * - The leading `/` is optional: `images/*.jpg` and `/images/*.jpg` are the same pattern.
 *
 * The matcher is a plain glob walk, not a RegExp: no escaping of `.`, `+`, `(` … to get wrong, and no
 * catastrophic backtracking (the walk is O(path × pattern) at worst, linear in practice). The literal text
 * before the first wildcard and after the last one is checked first, so most non-matching patterns are
 * rejected by one `startsWith`.
 *
 * The path given is matched as is (callers pass `URL.pathname`, i.e. still percent-encoded); `?` matches one
 * UTF-16 code unit, which is one character for such ASCII paths.
 */

const STAR = 42; // "*"
const QUESTION = 63; // "?"

export type PathMatcher = (path: string) => boolean;

/** Adds the optional leading slash, so both spellings of a pattern compile to the same matcher. */
export function normalisePathPattern(pattern: string): string {
  return pattern.startsWith("/") ? pattern : `/${pattern}`;
}

export function compilePathPattern(pattern: string): PathMatcher {
  const p = normalisePathPattern(pattern);
  const firstWild = firstWildcard(p);
  if (firstWild === -1) return (path) => path === p;

  const prefix = p.slice(0, firstWild);
  const lastWild = lastWildcard(p);
  const suffix = p.slice(lastWild + 1);
  const middle = p.slice(firstWild, lastWild + 1);
  const minLength = countNonStars(p);

  // The common shapes get a matcher with no glob walk at all.
  if (middle === "*") {
    if (suffix === "") return (path) => path.startsWith(prefix);
    return (path) => path.length >= minLength && path.startsWith(prefix) && path.endsWith(suffix);
  }
  if (!middle.includes("*")) {
    // Only `?` wildcards: the length is fixed.
    return (path) =>
      path.length === minLength &&
      path.startsWith(prefix) &&
      path.endsWith(suffix) &&
      glob(p, path, prefix.length, prefix.length);
  }
  return (path) =>
    path.length >= minLength &&
    path.startsWith(prefix) &&
    path.endsWith(suffix) &&
    glob(p, path, prefix.length, prefix.length);
}

/**
 * Iterative glob match of `p` against `s` from the given offsets: on a mismatch after a `*`, retry with that
 * `*` swallowing one more character. Only the most recent `*` needs remembering, because an earlier one can
 * never help once a later one has matched (standard wildcard-matching argument).
 */
function glob(p: string, s: string, pStart: number, sStart: number): boolean {
  let pi = pStart;
  let si = sStart;
  let starP = -1;
  let starS = 0;
  while (si < s.length) {
    if (pi < p.length) {
      const c = p.charCodeAt(pi);
      if (c === STAR) {
        starP = pi++;
        starS = si;
        continue;
      }
      if (c === QUESTION || c === s.charCodeAt(si)) {
        pi++;
        si++;
        continue;
      }
    }
    if (starP === -1) return false;
    pi = starP + 1;
    si = ++starS;
  }
  while (pi < p.length && p.charCodeAt(pi) === STAR) pi++;
  return pi === p.length;
}

function firstWildcard(p: string): number {
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c === STAR || c === QUESTION) return i;
  }
  return -1;
}

function lastWildcard(p: string): number {
  for (let i = p.length - 1; i >= 0; i--) {
    const c = p.charCodeAt(i);
    if (c === STAR || c === QUESTION) return i;
  }
  return -1;
}

function countNonStars(p: string): number {
  let n = 0;
  for (let i = 0; i < p.length; i++) if (p.charCodeAt(i) !== STAR) n++;
  return n;
}
