/**
 * The validation table: one row per rule, (member, bad value) → CloudFront's code and status, through the pure
 * validator and the one wire mapping; and the edges CloudFront accepts, which must stay accepted. The same rules
 * reach clients through the API: test/e2e/validation.test.ts sends a sample of these rows with the AWS SDK.
 */
import type { DistributionConfig } from "@aws-sdk/client-cloudfront";
import { describe, expect, it } from "vitest";
import { toWire } from "../../../../src/control/errors.js";
import { validateDistributionConfig } from "../../../../src/domain/distribution/validate.js";
import { richConfig } from "../../../support/shared/rich-config.js";
import { type Edit, VALIDATION_ROWS } from "../../../support/shared/validation-rows.js";

const base = (): DistributionConfig => richConfig("table", "table.example.test");

function outcome(edit: Edit): string {
  const c = base();
  edit(c);
  const r = validateDistributionConfig(c);
  if (r.ok) return "accepted";
  const w = toWire(r.error);
  return `${w.code} ${w.status}`;
}

describe("DistributionConfig validation table", () => {
  it("the base config is valid", () => {
    expect(validateDistributionConfig(base())).toEqual({ ok: true, value: true });
  });

  it.each(VALIDATION_ROWS.map((r) => [r.rule, r.expect, r.edit] as const))("%s → %s", (_rule, expected, edit) => {
    expect(outcome(edit)).toBe(expected);
  });
});
