import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDocument } from "../../../src/control/xml/parse.js";
import { findInconsistentQuantity } from "../../../src/control/xml/quantities.js";
import { serializeDocument } from "../../../src/control/xml/serialize.js";

const NS = 'xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"';
const POLICY = `<ContinuousDeploymentPolicyConfig ${NS}>
  <StagingDistributionDnsNames><Quantity>1</Quantity><Items><DnsName>d111111abcdef8.cloudfront.net</DnsName></Items></StagingDistributionDnsNames>
  <Enabled>true</Enabled>
  <TrafficConfig>
    <SingleWeightConfig><Weight>0.1</Weight>
      <SessionStickinessConfig><IdleTTL>300</IdleTTL><MaximumTTL>600</MaximumTTL></SessionStickinessConfig>
    </SingleWeightConfig>
    <Type>SingleWeight</Type>
  </TrafficConfig>
</ContinuousDeploymentPolicyConfig>`;

const parsePolicy = (xml: string) =>
  parseDocument(xml, "ContinuousDeploymentPolicyConfig", "ContinuousDeploymentPolicyConfig");

describe("shape-driven parse", () => {
  it("types scalars and lists from the model (the reference's botocore document)", () => {
    expect(parsePolicy(POLICY)).toEqual({
      ok: true,
      value: {
        StagingDistributionDnsNames: { Quantity: 1, Items: ["d111111abcdef8.cloudfront.net"] },
        Enabled: true,
        TrafficConfig: {
          SingleWeightConfig: { Weight: 0.1, SessionStickinessConfig: { IdleTTL: 300, MaximumTTL: 600 } },
          Type: "SingleWeight",
        },
      },
    });
  });

  it("does not depend on member order", () => {
    const reordered = POLICY.replace(
      /(<StagingDistributionDnsNames>.*<\/StagingDistributionDnsNames>)\s*(<Enabled>true<\/Enabled>)/s,
      "$2$1",
    );
    expect(reordered).not.toBe(POLICY);
    expect(parsePolicy(reordered)).toEqual(parsePolicy(POLICY));
  });

  it.each([
    ["an unknown enum value", POLICY.replace("<Type>SingleWeight<", "<Type>Both<")],
    ["a non-numeric float", POLICY.replace("<Weight>0.1<", "<Weight>0.1x<")],
    ["a non-integer", POLICY.replace("<IdleTTL>300<", "<IdleTTL>3.5<")],
    ["a bad boolean", POLICY.replace("<Enabled>true<", "<Enabled>yes<")],
    ["a missing required member", POLICY.replace("<Enabled>true</Enabled>", "")],
    ["a repeated scalar", POLICY.replace("<Enabled>true</Enabled>", "<Enabled>true</Enabled><Enabled>true</Enabled>")],
    ["another root", POLICY.replaceAll("ContinuousDeploymentPolicyConfig", "Other")],
    ["broken XML", POLICY.slice(0, 100)],
    ["a DOCTYPE", `<!DOCTYPE x>${POLICY}`],
    [
      "100,000 nested elements",
      `<ContinuousDeploymentPolicyConfig>${"<a>".repeat(100_000)}${"</a>".repeat(100_000)}</ContinuousDeploymentPolicyConfig>`,
    ],
  ])("refuses %s", (_name, xml) => {
    expect(parsePolicy(xml).ok).toBe(false);
  });

  it("ignores unknown elements, as AWS does", () => {
    const r = parsePolicy(POLICY.replace("<Enabled>", "<Unknown>1</Unknown><Enabled>"));
    expect(r.ok).toBe(true);
  });
});

describe("serialize", () => {
  it("writes members in model order with the namespace, and round-trips", () => {
    const parsed = parsePolicy(POLICY);
    if (!parsed.ok) throw new Error(parsed.message);
    const xml = serializeDocument("ContinuousDeploymentPolicyConfig", "ContinuousDeploymentPolicyConfig", parsed.value);
    expect(xml).toContain(
      `<ContinuousDeploymentPolicyConfig ${NS}><StagingDistributionDnsNames><Quantity>1</Quantity>`,
    );
    expect(xml.indexOf("<SingleWeightConfig>")).toBeLessThan(xml.indexOf("<Type>"));
    expect(parsePolicy(xml)).toEqual(parsed);
  });

  it("escapes text so any string survives the round-trip", () => {
    fc.assert(
      fc.property(
        // XML specials, markup look-alikes and non-ASCII; no control characters (XML 1.0 forbids most of them).
        fc.string({ unit: fc.constantFrom(...[..."<>&\"' ;#/=abcXYZ019é€😀]]>"]) }).filter((s) => s.trim() === s),
        (comment) => {
          const value = {
            CallerReference: "r",
            Origins: { Quantity: 1, Items: [{ Id: "o", DomainName: "example.com" }] },
            DefaultCacheBehavior: { TargetOriginId: "o", ViewerProtocolPolicy: "allow-all" },
            Comment: comment,
            Enabled: true,
          };
          const xml = serializeDocument("DistributionConfig", "DistributionConfig", value);
          const back = parseDocument(xml, "DistributionConfig", "DistributionConfig");
          expect(back.ok && back.value.Comment).toBe(comment);
        },
      ),
    );
  });
});

describe("Quantity / Items", () => {
  it("finds the first inconsistent pair, anywhere in the tree", () => {
    expect(findInconsistentQuantity({ Aliases: { Quantity: 0 } }, "DistributionConfig")).toBeNull();
    expect(findInconsistentQuantity({ Aliases: { Quantity: 1 } }, "DistributionConfig")).toBe("Aliases");
    const origins = { Quantity: 1, Items: [{ Id: "o", DomainName: "x", CustomHeaders: { Quantity: 2, Items: [] } }] };
    expect(findInconsistentQuantity({ Origins: origins }, "DistributionConfig")).toBe("Origins.Items[0].CustomHeaders");
  });
});
