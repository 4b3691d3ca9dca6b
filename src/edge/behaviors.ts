/**
 * Which cache behaviour of a distribution serves a path, and what that behaviour lets a method do.
 *
 * CloudFront (DG "Cache behavior settings"): the ordered CacheBehaviors are tried in order, the first whose
 * path pattern matches wins, and the default cache behaviour is always the last one processed. Patterns are
 * compiled once per behaviours array (WeakMap), so a request costs a few `startsWith` checks plus at most one
 * glob walk; a new config object from KV brings a new array and is compiled on first use.
 */
import type { EdgeBehavior, EdgeDistribution } from "../model/edge-config.js";
import { compilePathPattern, type PathMatcher } from "./path-pattern.js";

interface Rule {
  readonly matches: PathMatcher;
  readonly behavior: EdgeBehavior;
}

const compiled = new WeakMap<readonly EdgeBehavior[], readonly Rule[]>();

function rulesFor(behaviors: readonly EdgeBehavior[]): readonly Rule[] {
  let rules = compiled.get(behaviors);
  if (rules === undefined) {
    rules = behaviors.flatMap((behavior) =>
      // A non-default behaviour always has a pattern; one without is skipped rather than matching everything.
      behavior.pathPattern === null ? [] : [{ matches: compilePathPattern(behavior.pathPattern), behavior }],
    );
    compiled.set(behaviors, rules);
  }
  return rules;
}

/** The first behaviour whose path pattern matches `path`, else the default behaviour. */
export function selectBehavior(dist: EdgeDistribution, path: string): EdgeBehavior {
  const rules = rulesFor(dist.behaviors);
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (rule?.matches(path)) return rule.behavior;
  }
  return dist.defaultBehavior;
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
