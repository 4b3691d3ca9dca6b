/**
 * Expected failures as values: every reason an operation refuses (a tagged union, named in the domain's own
 * terms) and the Result that carries it. The wire layer (src/control/errors.ts) maps each tag to CloudFront's
 * code, status and message in one exhaustive switch; nothing here knows HTTP.
 */
export type DomainError =
  | { tag: "invalid-argument"; message: string }
  | { tag: "too-many-policies"; limit: number }
  | { tag: "too-many-staging-distributions"; limit: number }
  | { tag: "policy-already-exists"; id: string }
  | { tag: "staging-in-use"; message: string }
  | { tag: "policy-in-use"; message: string }
  | { tag: "no-such-policy"; id: string }
  | { tag: "no-such-distribution"; id: string }
  | { tag: "invalid-if-match"; message: string }
  | { tag: "precondition-failed" }
  | { tag: "illegal-update"; message: string }
  | { tag: "distribution-already-exists"; id: string }
  | { tag: "distribution-not-disabled"; id: string }
  | { tag: "cname-already-exists"; cname: string }
  // splitfront's extensions (docs/extensions-api.md): history, attach/detach, preview links, rollouts.
  | { tag: "no-such-version"; id: string; version: number }
  | { tag: "no-attached-policy"; message: string }
  | { tag: "no-enabled-weight-policy"; message: string }
  | { tag: "rollout-in-progress"; id: string; rolloutId: string }
  | { tag: "no-such-rollout"; id: string }
  | { tag: "invalid-rollout-state"; message: string };

export type Result<T, E = DomainError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const fail = <E = DomainError>(error: E): { ok: false; error: E } => ({ ok: false, error });
export const invalid = (message: string): { ok: false; error: DomainError } =>
  fail<DomainError>({ tag: "invalid-argument", message });
