/**
 * The control plane's state as plain data: what the Durable Object stores in SQLite and what the pure operations
 * (src/domain/policy/operations.ts, src/domain/distribution/operations.ts) read and return. An operation never writes: it
 * returns a Change that the Durable Object applies in one transaction.
 */
import type { DistributionConfig } from "@aws-sdk/client-cloudfront";
import type { BehaviorPolicyRecord } from "./behavior-policies/types.js";
import type { FunctionRecord } from "./functions/types.js";
import type { PolicyConfig } from "./policy/types.js";
import type { TagSet } from "./tags.js";

export type { BehaviorPolicyRecord };

export interface DistributionRecord {
  id: string;
  etag: string;
  domainName: string;
  /** ISO-8601. */
  lastModified: string;
  /** Creation order, for stable listing. */
  seq: number;
  config: DistributionConfig;
}

export interface PolicyRecord {
  id: string;
  etag: string;
  lastModified: string;
  seq: number;
  /** Session epoch published to the edge; bumped when every sticky session must end. */
  epoch: number;
  config: PolicyConfig;
}

export interface ControlState {
  distributions: DistributionRecord[];
  policies: PolicyRecord[];
  /** Custom cache, origin request and response headers policies (managed ones are constants, never stored). */
  behaviorPolicies: BehaviorPolicyRecord[];
  /** CloudFront Functions (absent = none). */
  functions?: FunctionRecord[];
}

export interface Change {
  putDistributions: DistributionRecord[];
  deleteDistributions: string[];
  putPolicies: PolicyRecord[];
  deletePolicies: string[];
  putBehaviorPolicies: BehaviorPolicyRecord[];
  deleteBehaviorPolicies: string[];
  /** Resources whose whole tag set is replaced (an empty set deletes their tags). */
  setTags?: TagSet[];
  putFunctions?: FunctionRecord[];
  /** Function names. */
  deleteFunctions?: string[];
}

export const noChange = (): Change => ({
  putDistributions: [],
  deleteDistributions: [],
  putPolicies: [],
  deletePolicies: [],
  putBehaviorPolicies: [],
  deleteBehaviorPolicies: [],
});

/** The sources of novelty an operation may use, injected so the operations stay pure and testable. */
export interface OpContext {
  /** ISO-8601 time of the operation. */
  now: string;
  /** Next creation sequence number. */
  nextSeq: number;
  ids: IdSource;
  /** Suffix of new distribution domain names (DOMAIN_SUFFIX). */
  domainSuffix: string;
}

export interface IdSource {
  distributionId(): string;
  /** The `d…` label of a new distribution domain name (without the suffix). */
  domainLabel(): string;
  policyId(): string;
  etag(): string;
}
