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
  | { tag: "invalid-tagging"; message: string }
  | { tag: "no-such-resource"; arn: string }
  | { tag: "foreign-resource"; arn: string }
  // CloudFront Functions (src/domain/functions/).
  | { tag: "no-such-function"; name: string }
  | { tag: "function-already-exists"; name: string }
  | { tag: "function-in-use"; name: string }
  | { tag: "function-size-limit"; limit: number }
  | { tag: "too-many-functions"; limit: number }
  | { tag: "unsupported-operation"; message: string }
  // splitfront's extensions (docs/extensions-api.md): history, attach/detach, preview links, rollouts.
  | { tag: "no-such-version"; id: string; version: number }
  | { tag: "no-attached-policy"; message: string }
  | { tag: "no-enabled-weight-policy"; message: string }
  | { tag: "rollout-in-progress"; id: string; rolloutId: string }
  | { tag: "no-such-rollout"; id: string }
  | { tag: "invalid-rollout-state"; message: string }
  | ConfigError;

/**
 * A DistributionConfig member (or a cache, origin request or response headers policy) CloudFront refuses, named by
 * CloudFront's own reason (one tag per error shape of CreateDistribution/UpdateDistribution and of the policy
 * operations in the service model; the wire code and status are in src/control/errors.ts). The message says
 * which member and why.
 */
export type ConfigErrorTag =
  | "invalid-origin"
  | "no-such-origin"
  | "invalid-origin-read-timeout"
  | "invalid-origin-keepalive-timeout"
  | "invalid-origin-access-identity"
  | "illegal-origin-access-configuration"
  | "invalid-error-code"
  | "invalid-response-code"
  | "invalid-ttl-order"
  | "invalid-default-root-object"
  | "invalid-relative-path"
  | "invalid-forward-cookies"
  | "invalid-location-code"
  | "invalid-geo-restriction"
  | "invalid-viewer-certificate"
  | "invalid-minimum-protocol-version"
  | "invalid-protocol-settings"
  | "invalid-web-acl-id"
  | "invalid-lambda-association"
  | "invalid-function-association"
  | "no-such-cache-policy"
  | "no-such-field-level-encryption-config"
  | "trusted-signer-does-not-exist"
  | "trusted-key-group-does-not-exist"
  | "too-many-origins"
  | "too-many-origin-groups"
  | "too-many-cache-behaviors"
  | "too-many-origin-custom-headers"
  | "too-many-cnames"
  | "too-many-headers-in-forwarded-values"
  | "too-many-cookie-names"
  | "too-many-query-string-parameters"
  | "too-many-lambda-associations"
  | "too-many-function-associations"
  | "too-many-distributions-with-function-associations"
  | PolicyErrorTag;

/** The refusals of the cache, origin request and response headers policy operations (and of references to them). */
export type PolicyErrorTag =
  | "no-such-origin-request-policy"
  | "no-such-response-headers-policy"
  | "cache-policy-already-exists"
  | "origin-request-policy-already-exists"
  | "response-headers-policy-already-exists"
  | "cache-policy-in-use"
  | "origin-request-policy-in-use"
  | "response-headers-policy-in-use"
  | "too-many-cache-policies"
  | "too-many-origin-request-policies"
  | "too-many-response-headers-policies"
  | "too-many-distributions-associated-to-cache-policy"
  | "too-many-distributions-associated-to-origin-request-policy"
  | "too-many-distributions-associated-to-response-headers-policy"
  | "too-many-headers-in-cache-policy"
  | "too-many-cookies-in-cache-policy"
  | "too-many-query-strings-in-cache-policy"
  | "too-many-headers-in-origin-request-policy"
  | "too-many-cookies-in-origin-request-policy"
  | "too-many-query-strings-in-origin-request-policy"
  | "too-many-custom-headers-in-response-headers-policy"
  | "too-many-remove-headers-in-response-headers-policy"
  | "too-long-csp-in-response-headers-policy"
  | "illegal-delete";

export type ConfigError = { tag: ConfigErrorTag; message: string };

export type Result<T, E = DomainError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const fail = <E = DomainError>(error: E): { ok: false; error: E } => ({ ok: false, error });
export const invalid = (message: string): { ok: false; error: DomainError } =>
  fail<DomainError>({ tag: "invalid-argument", message });
/** A config refused for the reason `tag` (see ConfigErrorTag). */
export const refuse = (tag: ConfigErrorTag, message: string): { ok: false; error: DomainError } =>
  fail<DomainError>({ tag, message });
