import { describe, expect, it } from "vitest";
import * as entry from "../../src/index.js";

describe("entry module", () => {
  it("exports only handlers and Durable Object classes (workerd refuses anything else)", () => {
    expect(Object.keys(entry).sort()).toEqual(["ControlPlane", "MetricsStore", "default"]);
    expect(typeof entry.default.fetch).toBe("function");
    expect(typeof entry.ControlPlane).toBe("function");
    expect(typeof entry.MetricsStore).toBe("function");
  });
});
