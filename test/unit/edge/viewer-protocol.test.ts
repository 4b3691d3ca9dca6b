import { describe, expect, it } from "vitest";
import { httpsRedirectStatus, viewerProtocolAction } from "../../../src/edge/viewer-protocol.js";

const METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"];

describe("viewerProtocolAction", () => {
  it("passes every HTTPS request whatever the policy", () => {
    for (const policy of ["allow-all", "redirect-to-https", "https-only"] as const) {
      for (const m of METHODS) expect(viewerProtocolAction(policy, "https", m)).toBe("pass");
    }
  });

  it("allow-all passes HTTP", () => {
    for (const m of METHODS) expect(viewerProtocolAction("allow-all", "http", m)).toBe("pass");
  });

  it("redirect-to-https redirects HTTP", () => {
    for (const m of METHODS) expect(viewerProtocolAction("redirect-to-https", "http", m)).toBe("redirect");
  });

  it("https-only forbids HTTP", () => {
    for (const m of METHODS) expect(viewerProtocolAction("https-only", "http", m)).toBe("forbid");
  });
});

describe("httpsRedirectStatus", () => {
  it("is 301 for GET and HEAD, 307 for methods with a body to keep", () => {
    expect(httpsRedirectStatus("GET")).toBe(301);
    expect(httpsRedirectStatus("HEAD")).toBe(301);
    expect(httpsRedirectStatus("head")).toBe(301);
    for (const m of ["OPTIONS", "PUT", "POST", "PATCH", "DELETE", "patch"]) expect(httpsRedirectStatus(m)).toBe(307);
  });
});
