import { describe, expect, it } from "vitest";
import { createDistribution, createDistributionWithTags } from "../../../src/domain/distribution/operations.js";
import type { Result } from "../../../src/domain/result.js";
import { mergeTags, parseTags, resolveResource, tagResource, untagResource } from "../../../src/domain/tags.js";
import { applied, config, ctx, emptyState } from "../store/fixtures.js";

const tagOf = (r: Result<unknown>) => (r.ok ? "ok" : r.error.tag);
const ACCOUNT = "123456789012";

function one() {
  const d = createDistribution(emptyState(), config("tags"), ctx());
  if (!d.ok) throw new Error(d.error.tag);
  return { s: applied(emptyState(), d.value.change), id: d.value.record.id };
}

describe("tag rules (API reference, Tag)", () => {
  it("accepts keys of 1–128 and values of 0–256 letters, digits, spaces and _ . : / = + - @", () => {
    const r = parseTags([
      { Key: "Name", Value: "Example name" },
      { Key: "k".repeat(128), Value: "v".repeat(256) },
      { Key: "a_b.c:d/e=f+g-h@i", Value: "" },
      { Key: "Größe", Value: "日本" },
      { Key: "no-value" },
    ]);
    expect(r.ok && r.value.at(-1)).toEqual({ Key: "no-value", Value: "" });
  });

  it("refuses what CloudFront refuses with InvalidTagging", () => {
    for (const bad of [
      [{ Key: "" }],
      [{ Key: "k".repeat(129) }],
      [{ Key: "x", Value: "v".repeat(257) }],
      [{ Key: "semi;colon" }],
      [{ Key: "x", Value: "<script>" }],
      [{ Key: "aws:reserved" }],
      [{ Key: "AWS:Reserved" }],
      [{ Key: "twice" }, { Key: "twice" }],
      Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}` })),
    ]) {
      expect(tagOf(parseTags(bad)), JSON.stringify(bad).slice(0, 60)).toBe("invalid-tagging");
    }
  });

  it("50 tags per resource, counting what it already has; a known key is replaced in place", () => {
    const current = Array.from({ length: 49 }, (_, i) => ({ Key: `k${i}`, Value: "" }));
    expect(
      tagOf(
        mergeTags(current, [
          { Key: "k0", Value: "new" },
          { Key: "k49", Value: "" },
        ]),
      ),
    ).toBe("ok");
    expect(
      tagOf(
        mergeTags(current, [
          { Key: "a", Value: "" },
          { Key: "b", Value: "" },
        ]),
      ),
    ).toBe("invalid-tagging");
    const merged = mergeTags(
      [
        { Key: "a", Value: "1" },
        { Key: "b", Value: "2" },
      ],
      [{ Key: "a", Value: "3" }],
    );
    expect(merged.ok && merged.value).toEqual([
      { Key: "a", Value: "3" },
      { Key: "b", Value: "2" },
    ]);
  });
});

describe("resources", () => {
  it("resolves this account's distribution ARNs; others are InvalidArgument, AccessDenied or NoSuchResource", () => {
    const { s, id } = one();
    expect(resolveResource(s, `arn:aws:cloudfront::${ACCOUNT}:distribution/${id}`, ACCOUNT)).toEqual({
      ok: true,
      value: `distribution/${id}`,
    });
    expect(tagOf(resolveResource(s, "not-an-arn", ACCOUNT))).toBe("invalid-argument");
    expect(tagOf(resolveResource(s, undefined, ACCOUNT))).toBe("invalid-argument");
    expect(tagOf(resolveResource(s, `arn:aws:cloudfront::999999999999:distribution/${id}`, ACCOUNT))).toBe(
      "foreign-resource",
    );
    expect(tagOf(resolveResource(s, `arn:aws:cloudfront::${ACCOUNT}:distribution/ENOPE`, ACCOUNT))).toBe(
      "no-such-resource",
    );
    expect(tagOf(resolveResource(s, `arn:aws:cloudfront::${ACCOUNT}:streaming-distribution/${id}`, ACCOUNT))).toBe(
      "no-such-resource",
    );
  });

  it("tag and untag replace the resource's whole set; unknown keys are ignored on untag", () => {
    const { s, id } = one();
    const arn = `arn:aws:cloudfront::${ACCOUNT}:distribution/${id}`;
    const current = () => [{ Key: "a", Value: "1" }];
    const tagged = tagResource(s, arn, ACCOUNT, [{ Key: "b", Value: "2" }], current);
    expect(tagged.ok && tagged.value.setTags).toEqual([
      {
        resource: `distribution/${id}`,
        tags: [
          { Key: "a", Value: "1" },
          { Key: "b", Value: "2" },
        ],
      },
    ]);
    const untagged = untagResource(s, arn, ACCOUNT, ["a", "zzz"], current);
    expect(untagged.ok && untagged.value.setTags).toEqual([{ resource: `distribution/${id}`, tags: [] }]);
    expect(tagOf(untagResource(s, arn, ACCOUNT, ["aws:x"], current))).toBe("invalid-tagging");
  });

  it("CreateDistributionWithTags checks the tags first and stores them with the new distribution", () => {
    expect(tagOf(createDistributionWithTags(emptyState(), config("wt1"), [{ Key: "aws:x" }], ctx()))).toBe(
      "invalid-tagging",
    );
    const r = createDistributionWithTags(emptyState(), config("wt2"), [{ Key: "team", Value: "web" }], ctx());
    expect(r.ok && r.value.change.setTags).toEqual([
      { resource: `distribution/${r.ok ? r.value.record.id : ""}`, tags: [{ Key: "team", Value: "web" }] },
    ]);
  });
});
