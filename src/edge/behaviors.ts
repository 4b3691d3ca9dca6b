/**
 * Which cache behaviour of a distribution serves a path, and what that behaviour lets a method do.
 *
 * CloudFront (DG "Cache behavior settings"): the ordered CacheBehaviors are tried in order, the first whose
 * path pattern matches wins, and the default cache behaviour is always the last one processed. Patterns are
 * compiled once per behaviours array (WeakMap) and bucketed by first path segment, so a request costs one Map
 * lookup plus the few patterns that could apply; a new config object from KV brings a new array and is compiled on
 * first use.
 */
import type { EdgeBehavior, EdgeDistribution } from "../model/edge-config.js";
import { compilePathPattern, normalisePathPattern, type PathMatcher } from "./path-pattern.js";

interface Rule {
  /** Position in CacheBehaviors: the lowest matching one wins. */
  readonly order: number;
  readonly matches: PathMatcher;
  readonly behavior: EdgeBehavior;
}

/**
 * Rules bucketed by the first path segment they can match, so a request only tries the rules that could apply.
 * A pattern whose literal start holds a whole first segment (`/api/*`, `/img/a?.png`, `/robots.txt`) can only
 * match paths with that first segment; the others (`*.jpg`, `/ap*`) are "anywhere" rules tried for every path.
 * The buckets are a list, compared against the path in place: a distribution has a few dozen behaviours at most,
 * and a Map lookup would need the path's first segment as a string of its own, which V8 internalizes per request.
 */
interface Index {
  readonly anywhere: readonly Rule[];
  readonly bySegment: readonly Bucket[];
}

interface Bucket {
  readonly segment: string;
  readonly rules: readonly Rule[];
}

const compiled = new WeakMap<readonly EdgeBehavior[], Index>();

function indexFor(behaviors: readonly EdgeBehavior[]): Index {
  let index = compiled.get(behaviors);
  if (index === undefined) {
    const anywhere: Rule[] = [];
    const bySegment = new Map<string, Rule[]>();
    behaviors.forEach((behavior, order) => {
      // A non-default behaviour always has a pattern; one without is skipped rather than matching everything.
      if (behavior.pathPattern === null) return;
      const rule = { order, matches: compilePathPattern(behavior.pathPattern), behavior };
      const segment = patternFirstSegment(normalisePathPattern(behavior.pathPattern));
      if (segment === null) anywhere.push(rule);
      else {
        const bucket = bySegment.get(segment);
        if (bucket === undefined) bySegment.set(segment, [rule]);
        else bucket.push(rule);
      }
    });
    index = { anywhere, bySegment: Array.from(bySegment, ([segment, rules]) => ({ segment, rules })) };
    compiled.set(behaviors, index);
  }
  return index;
}

/** The first segment every path matching `pattern` has, or null when the pattern leaves it open. */
function patternFirstSegment(pattern: string): string | null {
  const wildcard = pattern.search(/[*?]/);
  const slash = pattern.indexOf("/", 1);
  if (wildcard === -1) return pattern.slice(1, slash === -1 ? undefined : slash);
  return slash !== -1 && slash < wildcard ? pattern.slice(1, slash) : null;
}

/** The first behaviour whose path pattern matches `path`, else the default behaviour. */
export function selectBehavior(dist: EdgeDistribution, path: string): EdgeBehavior {
  const { anywhere, bySegment } = indexFor(dist.behaviors);
  const specific = bySegment.length === 0 ? undefined : rulesFor(bySegment, path);
  if (specific === undefined) return firstMatch(anywhere, path)?.behavior ?? dist.defaultBehavior;
  // Both lists are in CacheBehaviors order: walk them as one merged list.
  let a = 0;
  let s = 0;
  while (a < anywhere.length || s < specific.length) {
    const fromAnywhere = anywhere[a];
    const fromSpecific = specific[s];
    let next: Rule | undefined;
    if (fromSpecific === undefined || (fromAnywhere !== undefined && fromAnywhere.order < fromSpecific.order)) {
      next = fromAnywhere;
      a++;
    } else {
      next = fromSpecific;
      s++;
    }
    if (next?.matches(path)) return next.behavior;
  }
  return dist.defaultBehavior;
}

/** The rules of the bucket named by the path's first segment (between the leading slash and the next one). */
function rulesFor(buckets: readonly Bucket[], path: string): readonly Rule[] | undefined {
  let end = path.indexOf("/", 1);
  if (end === -1) end = path.length;
  for (let i = 0; i < buckets.length; i++) {
    const bucket = buckets[i];
    if (bucket !== undefined && bucket.segment.length === end - 1 && path.startsWith(bucket.segment, 1)) {
      return bucket.rules;
    }
  }
  return undefined;
}

function firstMatch(rules: readonly Rule[], path: string): Rule | undefined {
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (rule?.matches(path)) return rule;
  }
  return undefined;
}

/**
 * The path to serve: a request for the root itself gets the default root object (DG "Default root object":
 * only `/` is rewritten, never a subdirectory such as `/photos/`). The object name is configured without a
 * leading slash; one given anyway is not doubled.
 */
export function defaultRootPath(dist: Pick<EdgeDistribution, "defaultRootObject">, path: string): string {
  if (path !== "/" || dist.defaultRootObject === "") return path;
  const object = dist.defaultRootObject;
  return object.startsWith("/") ? object : `/${object}`;
}

/**
 * Whether the behaviour's AllowedMethods include `method` (CloudFront answers 403 otherwise, DG "HTTP 403 status
 * code (Invalid method)"). Method names compare case-insensitively: fetch normalises GET/POST/… but not PATCH.
 */
export function methodAllowed(b: Pick<EdgeBehavior, "allowedMethods">, method: string): boolean {
  return includesMethod(b.allowedMethods, method);
}

/**
 * Whether the behaviour's CachedMethods include `method` (GET and HEAD always; OPTIONS when configured). A method
 * that is not allowed is never cached. The shell may narrow this further (the Cache API stores GETs only).
 */
export function methodCached(b: Pick<EdgeBehavior, "allowedMethods" | "cachedMethods">, method: string): boolean {
  return includesMethod(b.cachedMethods, method) && includesMethod(b.allowedMethods, method);
}

function includesMethod(list: readonly string[], method: string): boolean {
  // The lists hold at most seven short names: a scan beats a Set lookup and needs no memo.
  if (list.includes(method)) return true;
  const upper = method.toUpperCase();
  return upper !== method && list.includes(upper);
}
