/**
 * Round-trip over the whole model: arbitrary DistributionConfig / policy documents generated from the shape
 * table itself (every member, enum value and list) serialise and parse back to the same value, so a config
 * comes back from GetDistributionConfig exactly as sent, members the edge ignores included.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDocument } from "../../../src/control/xml/parse.js";
import { serializeDocument } from "../../../src/control/xml/serialize.js";
import { arb } from "./model-arbitrary.js";

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
