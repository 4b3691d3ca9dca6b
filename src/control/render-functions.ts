/**
 * CloudFront Functions' response documents: FunctionSummary (with the Status CloudFront reports: UNPUBLISHED
 * while DEVELOPMENT differs from LIVE or was never published, else UNASSOCIATED or ASSOCIATED), FunctionList and
 * TestResult.
 */
import type { StagedFunction } from "../domain/functions/operations.js";
import { functionArn } from "../domain/functions/types.js";
import type { Page } from "./render.js";
import type { XmlStruct } from "./xml/value.js";

const asXml = (v: object): XmlStruct => v as XmlStruct;

function statusOf(f: StagedFunction): string {
  const { record } = f;
  const live = record.live;
  const unpublished =
    f.stage === "DEVELOPMENT" &&
    (live === null ||
      live.code !== record.development.code ||
      JSON.stringify(live.config) !== JSON.stringify(record.development.config));
  if (unpublished) return "UNPUBLISHED";
  return f.associated ? "ASSOCIATED" : "UNASSOCIATED";
}

export function renderFunctionSummary(f: StagedFunction, accountId: string): XmlStruct {
  const { record, version, stage } = f;
  return {
    Name: record.name,
    Status: statusOf(f),
    FunctionConfig: asXml({ ...version.config, Comment: version.config.Comment ?? "" }),
    FunctionMetadata: {
      FunctionARN: functionArn(accountId, record.name),
      Stage: stage,
      CreatedTime: record.createdTime,
      LastModifiedTime: version.lastModified,
    },
  };
}

export function renderFunctionList(page: Page<StagedFunction>, maxItems: number, accountId: string): XmlStruct {
  return {
    NextMarker: page.nextMarker,
    MaxItems: maxItems,
    Quantity: page.items.length,
    Items: page.items.map((f) => renderFunctionSummary(f, accountId)),
  };
}

/** The list's pagination key: a function at one stage. */
export const listKey = (f: StagedFunction): string => `${f.record.name}:${f.stage}`;
