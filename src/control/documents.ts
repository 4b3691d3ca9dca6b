/**
 * Request bodies → typed configs: the shape-driven parse (MalformedXML), then the Quantity/Items rule
 * (InconsistentQuantities). An empty body is MissingBody. The cast to the AWS model type is sound because the
 * parser produced exactly that layout from the same model (see xml/value.ts).
 */
import type { CopyDistributionRequest, FunctionConfig } from "@aws-sdk/client-cloudfront";
import type { ConfigOf, PolicyKind } from "../domain/behavior-policies/types.js";

/** The parsed CreateFunction body: FunctionCode is its base64 text (the codec keeps blobs as sent). */
interface CreateFunctionRequest {
  Name: string;
  FunctionConfig: FunctionConfig;
  FunctionCode: string;
}
interface UpdateFunctionRequest {
  Name: string;
  IfMatch: string;
  FunctionConfig: FunctionConfig;
  FunctionCode: string;
}

import type { DistributionConfig } from "../domain/distribution/types.js";
import type { PolicyConfig } from "../domain/policy/types.js";
import { fail, ok } from "../domain/result.js";
import type { Tag } from "../domain/tags.js";
import type { ControlError, ControlResult as Result } from "./errors.js";
import { parseDocument } from "./xml/parse.js";
import { findInconsistentQuantity } from "./xml/quantities.js";
import { isStruct, type XmlStruct, type XmlValue } from "./xml/value.js";

/** The single place where a parsed document is viewed as its AWS model type (same layout by construction). */
const view = <T>(doc: XmlStruct): T => doc as unknown as T;

function parseBody(text: string, root: string): Result<XmlStruct> {
  if (text.trim() === "") return fail<ControlError>({ tag: "missing-body" });
  const parsed = parseDocument(text, root, root);
  if (!parsed.ok) return fail<ControlError>({ tag: "malformed-xml", message: parsed.message });
  const path = findInconsistentQuantity(parsed.value, root);
  if (path !== null) return fail<ControlError>({ tag: "inconsistent-quantities", path });
  return ok(parsed.value);
}

export function parsePolicyConfig(text: string): Result<PolicyConfig> {
  const r = parseBody(text, "ContinuousDeploymentPolicyConfig");
  return r.ok ? ok(view<PolicyConfig>(r.value)) : r;
}

export function parseDistributionConfig(text: string): Result<DistributionConfig> {
  const r = parseBody(text, "DistributionConfig");
  return r.ok ? ok(view<DistributionConfig>(r.value)) : r;
}

export function parseCopyRequest(text: string): Result<Pick<CopyDistributionRequest, "CallerReference" | "Enabled">> {
  const r = parseBody(text, "CopyDistributionRequest");
  return r.ok ? ok(view<Pick<CopyDistributionRequest, "CallerReference" | "Enabled">>(r.value)) : r;
}

/** The body of Create/Update of a cache, origin request or response headers policy (root: `<Kind>PolicyConfig`). */
export function parseBehaviorPolicyConfig<K extends PolicyKind>(text: string, root: string): Result<ConfigOf[K]> {
  const r = parseBody(text, root);
  return r.ok ? ok(view<ConfigOf[K]>(r.value)) : r;
}

/** The items of a parsed list member (the parser made them of the model's item shape). */
const itemsOf = <T>(v: XmlValue | undefined): T[] => (Array.isArray(v) ? (v as unknown as T[]) : []);

/** CreateDistributionWithTags: the config and its tags (no Items = no tags). */
export function parseDistributionConfigWithTags(text: string): Result<{ config: DistributionConfig; tags: Tag[] }> {
  const r = parseBody(text, "DistributionConfigWithTags");
  if (!r.ok) return r;
  const tags = r.value.Tags;
  return ok({
    config: view<DistributionConfig>(r.value.DistributionConfig as XmlStruct),
    tags: itemsOf<Tag>(isStruct(tags) ? tags.Items : undefined),
  });
}

/** TagResource's Tags. */
export function parseTags(text: string): Result<Tag[]> {
  const r = parseBody(text, "Tags");
  return r.ok ? ok(itemsOf<Tag>(r.value.Items)) : r;
}

/** UntagResource's TagKeys. */
export function parseTagKeys(text: string): Result<string[]> {
  const r = parseBody(text, "TagKeys");
  return r.ok ? ok(itemsOf<string>(r.value.Items)) : r;
}

/** CreateFunction, UpdateFunction and TestFunction bodies (FunctionCode and EventObject stay base64). */
export function parseCreateFunction(text: string): Result<CreateFunctionRequest> {
  const r = parseBody(text, "CreateFunctionRequest");
  return r.ok ? ok(view<CreateFunctionRequest>(r.value)) : r;
}

export function parseUpdateFunction(text: string): Result<Omit<UpdateFunctionRequest, "Name" | "IfMatch">> {
  const r = parseBody(text, "UpdateFunctionRequest");
  return r.ok ? ok(view<Omit<UpdateFunctionRequest, "Name" | "IfMatch">>(r.value)) : r;
}

export function parseTestFunction(text: string): Result<{ Stage?: string; EventObject: string }> {
  const r = parseBody(text, "TestFunctionRequest");
  return r.ok ? ok(view<{ Stage?: string; EventObject: string }>(r.value)) : r;
}
