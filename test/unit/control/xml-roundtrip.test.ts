/**
 * Round-trip over the whole model: arbitrary DistributionConfig / policy documents generated from the shape
 * table itself (every member, enum value and list) serialise and parse back to the same value, so a config
 * comes back from GetDistributionConfig exactly as sent, members the edge ignores included.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SHAPES } from "../../../src/control/model/shapes.js";
import { parseDocument } from "../../../src/control/xml/parse.js";
import { serializeDocument } from "../../../src/control/xml/serialize.js";
import type { XmlValue } from "../../../src/control/xml/value.js";

const text = fc
  .string({ unit: fc.constantFrom(...[..."abcXYZ019-_./:<>&\"' é😀\r\n"]), minLength: 1, maxLength: 12 })
  .map((s) => s.trim())
  .filter((s) => s !== "");

function arb(shapeName: string, depth = 0): fc.Arbitrary<XmlValue> {
  const shape = SHAPES[shapeName];
  if (shape === undefined) throw new Error(`no shape ${shapeName}`);
  switch (shape.t) {
    case "structure": {
      const members: Record<string, fc.Arbitrary<XmlValue>> = {};
      for (const [name, member] of shape.m) members[name] = arb(member, depth + 1);
      return fc.record(members, { requiredKeys: [...(shape.r ?? [])] });
    }
    case "list":
      return fc.array(arb(shape.m, depth + 1), { maxLength: depth > 4 ? 1 : 2 });
    case "string":
      return shape.e !== undefined ? fc.constantFrom(...shape.e) : text;
    case "timestamp":
      return fc.constant("2026-01-01T00:00:00.000Z");
    case "integer":
      return fc.integer();
    case "long":
      return fc.maxSafeInteger();
    case "float":
      // -0 has no XML spelling of its own (String(-0) is "0"): it cannot round-trip, on AWS either.
      return fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x));
    case "boolean":
      return fc.boolean();
    case "blob":
      return fc.uint8Array({ maxLength: 16 }).map((bytes) => btoa(String.fromCharCode(...bytes)));
    default:
      return shape satisfies never;
  }
}

describe.each(["DistributionConfig", "ContinuousDeploymentPolicyConfig", "CreateFunctionRequest", "CachePolicyConfig"])(
  "%s",
  (root) => {
    it("serialise → parse is the identity for any document of the model", () => {
      fc.assert(
        fc.property(arb(root), (doc) => {
          const back = parseDocument(serializeDocument(root, root, doc), root, root);
          expect(back).toEqual({ ok: true, value: doc });
        }),
        { numRuns: 60 },
      );
    });
  },
);
