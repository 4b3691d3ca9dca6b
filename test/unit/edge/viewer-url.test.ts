import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { viewerUrl } from "../../../src/edge/viewer-url.js";

const fields = (u: {
  href: string;
  protocol: string;
  host: string;
  hostname: string;
  pathname: string;
  search: string;
}) => ({
  href: u.href,
  protocol: u.protocol,
  host: u.host,
  hostname: u.hostname,
  pathname: u.pathname,
  search: u.search,
});

describe("viewerUrl", () => {
  it("agrees with URL on every serialised http(s) URL", () => {
    fc.assert(
      fc.property(
        fc.webUrl({ validSchemes: ["http", "https"], withQueryParameters: true, withFragments: true }),
        (raw) => {
          const href = new URL(raw).href;
          expect(fields(viewerUrl(href))).toEqual(fields(new URL(href)));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it.each([
    "http://example.com/",
    "http://a/",
    "https://a:1/",
    "https://[::1]/",
    "http://[::ffff:7f00:1]:80/x",
    "http://example.com:8787/a/b?x=1&y=2",
    "https://[::1]:8443/p?",
    "http://[2001:db8::1]/",
    "http://127.0.0.1:9101/index.html#frag",
    "http://a.test/?#x",
    "http://a.test/%2F?q=%3F#?",
  ])("%s", (raw) => {
    const href = new URL(raw).href;
    expect(fields(viewerUrl(href))).toEqual(fields(new URL(href)));
  });
});
