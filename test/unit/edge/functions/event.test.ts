import { describe, expect, it } from "vitest";
import {
  headersFrom,
  parseCookies,
  parseQuery,
  readOutcome,
  requestEvent,
  responseFrom,
  responseOf,
  searchOf,
} from "../../../../src/edge/functions/event.js";

const ctx = {
  distributionDomainName: "d.example",
  distributionId: "E1",
  eventType: "viewer-request" as const,
  requestId: "r1",
};

describe("CloudFront's event object", () => {
  it("gives query parameters, headers and cookies in the multi-value shape", () => {
    expect(parseQuery("?a=1&b=2&a=3&flag&e=")).toEqual({
      a: { value: "1", multiValue: [{ value: "1" }, { value: "3" }] },
      b: { value: "2" },
      flag: { value: "" },
      e: { value: "" },
    });
    expect(parseCookies("id=42; theme=dark; id=43")).toEqual({
      id: { value: "42", multiValue: [{ value: "42" }, { value: "43" }] },
      theme: { value: "dark" },
    });
    const request = new Request("http://site.example/a/b?x=%20y", {
      headers: { accept: "text/html", cookie: "s=1", "x-multi": "one" },
    });
    const event = requestEvent(request, "/a/b", "?x=%20y", ctx, "198.51.100.7");
    expect(event).toEqual({
      version: "1.0",
      context: ctx,
      viewer: { ip: "198.51.100.7" },
      request: {
        method: "GET",
        uri: "/a/b",
        querystring: { x: { value: "%20y" } },
        headers: { accept: { value: "text/html" }, "x-multi": { value: "one" } },
        cookies: { s: { value: "1" } },
      },
    });
  });

  it("turns a returned request back into a query string and headers, the Cookie header rebuilt from cookies", () => {
    expect(searchOf({ b: { value: "2" }, a: { value: "1", multiValue: [{ value: "1" }, { value: "x" }] } })).toBe(
      "?b=2&a=1&a=x",
    );
    expect(searchOf({})).toBe("");
    const h = headersFrom({
      method: "GET",
      uri: "/",
      querystring: {},
      headers: { "x-a": { value: "1", multiValue: [{ value: "1" }, { value: "2" }] }, cookie: { value: "ignored=1" } },
      cookies: { k: { value: "v" }, l: { value: "w" } },
    });
    expect(h.get("x-a")).toBe("1, 2");
    expect(h.get("cookie")).toBe("k=v; l=w");
  });

  it("reads responses with Set-Cookie as cookies, and writes them back with their attributes", async () => {
    const origin = new Response("body", {
      status: 201,
      statusText: "Created",
      headers: [
        ["set-cookie", "a=1; Path=/"],
        ["set-cookie", "a=2"],
        ["x-y", "z"],
      ],
    });
    const r = responseOf(origin);
    expect(r).toEqual({
      statusCode: 201,
      statusDescription: "Created",
      headers: { "content-type": { value: "text/plain;charset=UTF-8" }, "x-y": { value: "z" } },
      cookies: {
        a: { value: "1", attributes: "Path=/", multiValue: [{ value: "1", attributes: "Path=/" }, { value: "2" }] },
      },
    });
    const back = responseFrom(r, "kept body");
    expect(back.headers.getSetCookie()).toEqual(["a=1; Path=/", "a=2"]);
    expect(await back.text()).toBe("kept body");
    const generated = responseFrom(
      { statusCode: 200, headers: {}, cookies: {}, body: { data: btoa("hi"), encoding: "base64" } },
      null,
    );
    expect(await generated.text()).toBe("hi");
  });

  it("tells a request from a response, and refuses what is neither", () => {
    expect(readOutcome({ uri: "/x", headers: {} }, "viewer-request").kind).toBe("request");
    expect(readOutcome({ statusCode: 302, headers: {} }, "viewer-request").kind).toBe("response");
    expect(readOutcome({ uri: "no-slash" }, "viewer-request").kind).toBe("invalid");
    expect(readOutcome({ statusCode: 99 }, "viewer-response").kind).toBe("invalid");
    expect(readOutcome(null, "viewer-request").kind).toBe("invalid");
  });
});
