/**
 * CloudFront Functions as plain data: a function has a DEVELOPMENT stage (what Create/UpdateFunction wrote) and,
 * once published, a LIVE stage (a copy of DEVELOPMENT at PublishFunction). Each stage has its own ETag. The code
 * is kept in its wire form (base64), as GetFunction returns it and the edge compiler decodes it.
 */
import type { FunctionConfig } from "@aws-sdk/client-cloudfront";

export type FunctionStage = "DEVELOPMENT" | "LIVE";

export interface FunctionVersion {
  etag: string;
  /** ISO-8601. */
  lastModified: string;
  config: FunctionConfig;
  /** Base64 of the source text. */
  code: string;
}

export interface FunctionRecord {
  name: string;
  /** Creation order, for stable listing. */
  seq: number;
  /** ISO-8601. */
  createdTime: string;
  development: FunctionVersion;
  /** null until the first PublishFunction. */
  live: FunctionVersion | null;
}

/** CloudFront's limits: 10 KB of code, 100 functions per account, names of 1–64 of [A-Za-z0-9_-]. */
export const MAX_FUNCTION_CODE_BYTES = 10_240;
export const MAX_FUNCTIONS = 100;
export const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** A function's ARN names it by account and name (`arn:aws:cloudfront::<account>:function/<name>`). */
export const FUNCTION_ARN = /^arn:aws:cloudfront::(\d{12}):function\/([A-Za-z0-9_-]{1,64})$/;

export const functionArn = (accountId: string, name: string): string =>
  `arn:aws:cloudfront::${accountId}:function/${name}`;

export const stageOf = (f: FunctionRecord, stage: FunctionStage): FunctionVersion | null =>
  stage === "LIVE" ? f.live : f.development;
