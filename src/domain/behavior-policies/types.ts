/**
 * The policies a cache behaviour references by id (CachePolicyId, OriginRequestPolicyId, ResponseHeadersPolicyId):
 * their wire configs (the AWS model's types, as the shape-driven parser produces them), the stored record, and
 * the names each kind's errors carry. Custom policies live in the control plane's state; AWS's managed ones are
 * constants (managed-*.ts) that every account sees.
 */
import type {
  CachePolicyConfig,
  OriginRequestPolicyConfig,
  ResponseHeadersPolicyConfig,
} from "@aws-sdk/client-cloudfront";
import type { ConfigErrorTag } from "../result.js";

export type { CachePolicyConfig, OriginRequestPolicyConfig, ResponseHeadersPolicyConfig };

export type PolicyKind = "cache" | "origin-request" | "response-headers";

export const POLICY_KINDS: readonly PolicyKind[] = ["cache", "origin-request", "response-headers"];

/** The CloudFront name of a kind, as its operations spell it (`Create${name}`, `Delete${name}`, ...). */
export const POLICY_OPERATION: Readonly<Record<PolicyKind, string>> = {
  cache: "CachePolicy",
  "origin-request": "OriginRequestPolicy",
  "response-headers": "ResponseHeadersPolicy",
};

export interface ConfigOf {
  cache: CachePolicyConfig;
  "origin-request": OriginRequestPolicyConfig;
  "response-headers": ResponseHeadersPolicyConfig;
}

export interface BehaviorPolicyRecord<K extends PolicyKind = PolicyKind> {
  kind: K;
  id: string;
  etag: string;
  /** ISO-8601. */
  lastModified: string;
  /** Creation order (the control plane's one counter); 0 for managed policies. */
  seq: number;
  config: ConfigOf[K];
}

/** `Type` of the List operations and of each summary. */
export type PolicyType = "managed" | "custom";

/** What a kind's refusals are called (CloudFront's error shapes, one per kind; the codes are in src/control/errors.ts). */
export interface KindErrors {
  noSuch: ConfigErrorTag;
  alreadyExists: ConfigErrorTag;
  inUse: ConfigErrorTag;
  tooMany: ConfigErrorTag;
  tooManyDistributions: ConfigErrorTag;
  /** Human name for messages ("cache policy"). */
  noun: string;
}

export const KIND_ERRORS: Readonly<Record<PolicyKind, KindErrors>> = {
  cache: {
    noSuch: "no-such-cache-policy",
    alreadyExists: "cache-policy-already-exists",
    inUse: "cache-policy-in-use",
    tooMany: "too-many-cache-policies",
    tooManyDistributions: "too-many-distributions-associated-to-cache-policy",
    noun: "cache policy",
  },
  "origin-request": {
    noSuch: "no-such-origin-request-policy",
    alreadyExists: "origin-request-policy-already-exists",
    inUse: "origin-request-policy-in-use",
    tooMany: "too-many-origin-request-policies",
    tooManyDistributions: "too-many-distributions-associated-to-origin-request-policy",
    noun: "origin request policy",
  },
  "response-headers": {
    noSuch: "no-such-response-headers-policy",
    alreadyExists: "response-headers-policy-already-exists",
    inUse: "response-headers-policy-in-use",
    tooMany: "too-many-response-headers-policies",
    tooManyDistributions: "too-many-distributions-associated-to-response-headers-policy",
    noun: "response headers policy",
  },
};

/** The DistributionConfig cache-behaviour member that references a policy of each kind. */
export const BEHAVIOR_MEMBER = {
  cache: "CachePolicyId",
  "origin-request": "OriginRequestPolicyId",
  "response-headers": "ResponseHeadersPolicyId",
} as const satisfies Record<PolicyKind, string>;
