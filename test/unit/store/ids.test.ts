import { describe, expect, it } from "vitest";
import { idSource, randomString } from "../../../src/store/ids.js";

describe("ids", () => {
  it("have CloudFront's shapes", () => {
    const ids = idSource();
    expect(ids.distributionId()).toMatch(/^E[A-Z0-9]{13}$/);
    expect(ids.domainLabel()).toMatch(/^d[a-z0-9]{13}$/);
    expect(ids.etag()).toMatch(/^E[A-Z0-9]{13}$/);
    expect(ids.policyId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("draw from an injected random source, rejecting biased bytes", () => {
    let calls = 0;
    const s = randomString("AB", 4, (n) => {
      calls++;
      return new Uint8Array(n).fill(calls === 1 ? 255 : 1);
    });
    // 255 is kept too (256 % 2 = 0, no bias); with 1s the answer is all "B".
    expect(s).toBe("BBBB");
  });
});
