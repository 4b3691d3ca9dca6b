import { describe, expect, it } from "vitest";
import { type GeoRestriction, geoAllowed } from "../../../src/edge/geo.js";

const none: GeoRestriction = { type: "none", countries: [] };
const whitelist: GeoRestriction = { type: "whitelist", countries: ["US", "ca"] };
const blacklist: GeoRestriction = { type: "blacklist", countries: ["FR", "de"] };

describe("geoAllowed", () => {
  it("lets everyone through without a restriction", () => {
    for (const c of ["US", "FR", "XX", "T1", null]) expect(geoAllowed(none, () => c)).toBe(true);
    // ...without even asking for the country (request.cf is a runtime call).
    let asked = false;
    geoAllowed(none, () => {
      asked = true;
      return "US";
    });
    expect(asked).toBe(false);
  });

  it("serves only listed countries under a whitelist", () => {
    expect(geoAllowed(whitelist, () => "US")).toBe(true);
    expect(geoAllowed(whitelist, () => "CA")).toBe(true);
    expect(geoAllowed(whitelist, () => "FR")).toBe(false);
    expect(geoAllowed(whitelist, () => "GB")).toBe(false);
  });

  it("serves everyone but the listed countries under a blacklist", () => {
    expect(geoAllowed(blacklist, () => "FR")).toBe(false);
    expect(geoAllowed(blacklist, () => "DE")).toBe(false);
    expect(geoAllowed(blacklist, () => "US")).toBe(true);
  });

  it("compares country codes case-insensitively", () => {
    expect(geoAllowed(whitelist, () => "us")).toBe(true);
    expect(geoAllowed(blacklist, () => "fr")).toBe(false);
  });

  it("serves viewers whose country is unknown under either list, as CloudFront does", () => {
    for (const unknown of [null, "", "XX", "T1"]) {
      expect(geoAllowed(whitelist, () => unknown)).toBe(true);
      expect(geoAllowed(blacklist, () => unknown)).toBe(true);
    }
  });

  it("reads a changed list from a new restriction object", () => {
    const before: GeoRestriction = { type: "whitelist", countries: ["US"] };
    const after: GeoRestriction = { type: "whitelist", countries: ["GB"] };
    expect(geoAllowed(before, () => "US")).toBe(true);
    expect(geoAllowed(after, () => "US")).toBe(false);
    expect(geoAllowed(after, () => "GB")).toBe(true);
  });

  it("an empty whitelist refuses everyone, an empty blacklist refuses no one", () => {
    expect(geoAllowed({ type: "whitelist", countries: [] }, () => "US")).toBe(false);
    expect(geoAllowed({ type: "blacklist", countries: [] }, () => "US")).toBe(true);
  });
});
