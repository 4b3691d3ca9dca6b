/**
 * The Functions API's writes and reads against the control-plane state: create, update and publish (each stage
 * with its own ETag; If-Match names the DEVELOPMENT stage, as in CloudFront), delete (refused while a
 * distribution associates the function), describe and list by stage. Pure: each write returns the Change.
 */

import type { FunctionConfig } from "@aws-sdk/client-cloudfront";
import { checkIfMatch } from "../preconditions.js";
import { fail, invalid, ok, type Result } from "../result.js";
import { type Change, type ControlState, noChange, type OpContext } from "../state.js";
import { associatedNames } from "./associations.js";
import {
  FUNCTION_NAME,
  type FunctionRecord,
  type FunctionStage,
  type FunctionVersion,
  MAX_FUNCTION_CODE_BYTES,
  MAX_FUNCTIONS,
  stageOf,
} from "./types.js";

export interface FunctionInput {
  config: FunctionConfig;
  /** Base64, as the wire carries it (the parser has checked the alphabet). */
  code: string;
}

export interface FunctionOutcome {
  change: Change;
  record: FunctionRecord;
}

export const functionsOf = (s: ControlState): FunctionRecord[] => s.functions ?? [];

export const findFunction = (s: ControlState, name: string): FunctionRecord | undefined =>
  functionsOf(s).find((f) => f.name === name);

/** Names of the functions some distribution (primary or staging) associates. */
export function functionsInUse(s: ControlState): Set<string> {
  const out = new Set<string>();
  for (const d of s.distributions) for (const name of associatedNames(d.config)) out.add(name);
  return out;
}

function checkInput(input: FunctionInput): Result<true> {
  let bytes: number;
  try {
    bytes = atob(input.code).length;
  } catch {
    return invalid("FunctionCode must be base64.");
  }
  if (bytes === 0) return invalid("FunctionCode must not be empty.");
  if (bytes > MAX_FUNCTION_CODE_BYTES) return fail({ tag: "function-size-limit", limit: MAX_FUNCTION_CODE_BYTES });
  const comment = input.config.Comment ?? "";
  if (comment.length > 128) return invalid("FunctionConfig.Comment must be at most 128 characters.");
  if ((input.config.KeyValueStoreAssociations?.Quantity ?? 0) > 0) {
    return fail({ tag: "unsupported-operation", message: "Key value store associations are not supported." });
  }
  return ok(true);
}

/** The function `name`, when If-Match names its DEVELOPMENT stage (as every write of CloudFront's requires). */
function matching(s: ControlState, name: string, ifMatch: string | undefined): Result<FunctionRecord> {
  const current = findFunction(s, name);
  if (current === undefined) return fail({ tag: "no-such-function", name });
  const pre = checkIfMatch(ifMatch, current.development.etag);
  return pre.ok ? ok(current) : pre;
}

const putChange = (record: FunctionRecord): FunctionOutcome => ({
  change: { ...noChange(), putFunctions: [record] },
  record,
});

export function createFunction(
  s: ControlState,
  name: string,
  input: FunctionInput,
  ctx: OpContext,
): Result<FunctionOutcome> {
  if (!FUNCTION_NAME.test(name)) return invalid("Name must be 1 to 64 characters of A-Z, a-z, 0-9, - and _.");
  if (findFunction(s, name) !== undefined) return fail({ tag: "function-already-exists", name });
  if (functionsOf(s).length >= MAX_FUNCTIONS) return fail({ tag: "too-many-functions", limit: MAX_FUNCTIONS });
  const valid = checkInput(input);
  if (!valid.ok) return valid;
  const development: FunctionVersion = { etag: ctx.ids.etag(), lastModified: ctx.now, ...input };
  return ok(putChange({ name, seq: ctx.nextSeq, createdTime: ctx.now, development, live: null }));
}

export function updateFunction(
  s: ControlState,
  name: string,
  ifMatch: string | undefined,
  input: FunctionInput,
  ctx: OpContext,
): Result<FunctionOutcome> {
  const found = matching(s, name, ifMatch);
  if (!found.ok) return found;
  const current = found.value;
  const valid = checkInput(input);
  if (!valid.ok) return valid;
  const development: FunctionVersion = { etag: ctx.ids.etag(), lastModified: ctx.now, ...input };
  return ok(putChange({ ...current, development }));
}

/**
 * Copies DEVELOPMENT to LIVE, ETag included: CloudFront's ETag names a version's content, so after a publish both
 * stages report the same one (what Terraform's `etag` and `live_stage_etag` show). Every host whose behaviours
 * associate the function is republished with it.
 */
export function publishFunction(
  s: ControlState,
  name: string,
  ifMatch: string | undefined,
  ctx: OpContext,
): Result<FunctionOutcome> {
  const found = matching(s, name, ifMatch);
  if (!found.ok) return found;
  const current = found.value;
  const live: FunctionVersion = { ...current.development, lastModified: ctx.now };
  return ok(putChange({ ...current, live }));
}

export function deleteFunction(s: ControlState, name: string, ifMatch: string | undefined): Result<Change> {
  const found = matching(s, name, ifMatch);
  if (!found.ok) return found;
  if (functionsInUse(s).has(name)) return fail({ tag: "function-in-use", name });
  return ok({ ...noChange(), deleteFunctions: [name] });
}

/** A function at a stage, as DescribeFunction, GetFunction and TestFunction see it. */
export interface StagedFunction {
  record: FunctionRecord;
  stage: FunctionStage;
  version: FunctionVersion;
  /** Some distribution associates the function. */
  associated: boolean;
}

export function describeFunction(s: ControlState, name: string, stage: FunctionStage): Result<StagedFunction> {
  const record = findFunction(s, name);
  const version = record === undefined ? null : stageOf(record, stage);
  if (record === undefined || version === null) return fail({ tag: "no-such-function", name });
  return ok({ record, stage, version, associated: functionsInUse(s).has(name) });
}

/** Every function at `stage`, or at both stages (DEVELOPMENT first) when no stage is given, in creation order. */
export function listFunctions(s: ControlState, stage: FunctionStage | undefined): StagedFunction[] {
  const used = functionsInUse(s);
  const out: StagedFunction[] = [];
  for (const record of [...functionsOf(s)].sort((a, b) => a.seq - b.seq)) {
    for (const st of stage === undefined ? (["DEVELOPMENT", "LIVE"] as const) : [stage]) {
      const version = stageOf(record, st);
      if (version !== null) out.push({ record, stage: st, version, associated: used.has(record.name) });
    }
  }
  return out;
}
