/** What every policy's Name and Comment must be, and the items of a `{Quantity, Items}` name list. Pure. */
import { charLength, hasControlChar } from "../distribution/syntax.js";
import { invalid, ok, type Result } from "../result.js";
import { MAX_POLICY_COMMENT, MAX_POLICY_NAME } from "./limits.js";

const NAME = /^[A-Za-z0-9_-]+$/;

export function nameAndComment(cfg: { Name?: string | undefined; Comment?: string | undefined }): Result<true> {
  const name = cfg.Name ?? "";
  if (name === "" || name.length > MAX_POLICY_NAME || !NAME.test(name)) {
    return invalid(
      `The parameter Name must be 1 to ${MAX_POLICY_NAME} characters of letters, digits, hyphens (-) and underscores (_).`,
    );
  }
  const comment = cfg.Comment ?? "";
  if (charLength(comment) > MAX_POLICY_COMMENT || hasControlChar(comment)) {
    return invalid(
      `The parameter Comment must be at most ${MAX_POLICY_COMMENT} characters, without control characters.`,
    );
  }
  return ok(true);
}

export interface NameList {
  Quantity?: number | undefined;
  Items?: string[] | undefined;
}

export const itemsOf = (l: NameList | undefined): string[] => l?.Items ?? [];
