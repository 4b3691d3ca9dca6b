import { describe, expect, it } from "vitest";
import { paginate, renderSummary } from "../../../src/control/render.js";
import { normalizeDistributionConfig } from "../../../src/domain/distribution/normalize.js";
import type { DistributionView } from "../../../src/domain/distribution/status.js";

describe("paginate (Marker = id of the previous page's last item)", () => {
  const all = ["a", "b", "c", "d", "e"].map((id) => ({ id }));
  it("walks every item once", () => {
    const seen: string[] = [];
    let marker = "";
    for (;;) {
      const page = paginate(all, marker, 2);
      seen.push(...page.items.map((x) => x.id));
      if (page.nextMarker === undefined) break;
      marker = page.nextMarker;
    }
    expect(seen).toEqual(["a", "b", "c", "d", "e"]);
  });
  it("no NextMarker on the last page", () => {
    expect(paginate(all, "c", 2)).toEqual({ items: [{ id: "d" }, { id: "e" }], nextMarker: undefined });
  });
});

describe("DistributionSummary", () => {
  it("carries the normalised config's members and the Status", () => {
    const d: DistributionView = {
      id: "EABC",
      etag: "E1",
      domainName: "dabc.example",
      lastModified: "2026-01-01T00:00:00.000Z",
      seq: 1,
      status: "InProgress",
      config: normalizeDistributionConfig({
        CallerReference: "r",
        Origins: { Quantity: 1, Items: [{ Id: "o", DomainName: "x" }] },
        DefaultCacheBehavior: { TargetOriginId: "o", ViewerProtocolPolicy: "allow-all" },
        Comment: "",
        Enabled: true,
      }),
    };
    expect(renderSummary(d, "123456789012")).toMatchObject({
      ARN: "arn:aws:cloudfront::123456789012:distribution/EABC",
      ETag: "E1",
      Status: "InProgress",
      OriginGroups: { Quantity: 0 },
      IsIPV6Enabled: true,
      Aliases: { Quantity: 0 },
      PriceClass: "PriceClass_All",
      HttpVersion: "http2",
      Staging: false,
    });
  });
});
