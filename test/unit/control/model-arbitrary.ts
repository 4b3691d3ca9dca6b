/**
 * fast-check arbitraries generated from the shape table itself: any document of the CloudFront model (every
 * member, enum value and list), for property tests of the codec and of what the domain does with parsed configs.
 */
import fc from "fast-check";
import { SHAPES } from "../../../src/control/model/shapes.js";
import type { XmlValue } from "../../../src/control/xml/value.js";

const text = fc
  .string({ unit: fc.constantFrom(...[..."abcXYZ019-_./:<>&\"' é😀\r\n"]), minLength: 1, maxLength: 12 })
  .map((s) => s.trim())
  .filter((s) => s !== "");

export function arb(shapeName: string, depth = 0): fc.Arbitrary<XmlValue> {
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
