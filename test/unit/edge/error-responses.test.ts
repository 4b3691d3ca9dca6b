import { describe, expect, it } from "vitest";
import { errorResponseStatus, findErrorResponse, servesErrorPage } from "../../../src/edge/error-responses.js";
import type { EdgeErrorResponse } from "../../../src/model/edge-config.js";

const notFound: EdgeErrorResponse = {
  errorCode: 404,
  responsePagePath: "/errors/404.html",
  responseCode: 200,
  errorCachingMinTTL: 30,
};
const unavailable: EdgeErrorResponse = { errorCode: 503, responsePagePath: "", responseCode: 0, errorCachingMinTTL: 0 };
const forbidden: EdgeErrorResponse = {
  errorCode: 403,
  responsePagePath: "/index.html",
  responseCode: 0,
  errorCachingMinTTL: 10,
};
const list = [notFound, unavailable, forbidden];

describe("findErrorResponse", () => {
  it("finds the entry for a status", () => {
    expect(findErrorResponse(list, 404)).toBe(notFound);
    expect(findErrorResponse(list, 503)).toBe(unavailable);
    expect(findErrorResponse(list, 403)).toBe(forbidden);
  });

  it("finds nothing for other statuses or an empty list", () => {
    expect(findErrorResponse(list, 500)).toBeUndefined();
    expect(findErrorResponse(list, 200)).toBeUndefined();
    expect(findErrorResponse([], 404)).toBeUndefined();
  });
});

describe("servesErrorPage / errorResponseStatus", () => {
  it("serves a page only when ResponsePagePath is set", () => {
    expect(servesErrorPage(notFound)).toBe(true);
    expect(servesErrorPage(unavailable)).toBe(false);
  });

  it("sends ResponseCode when set, else the origin's status", () => {
    expect(errorResponseStatus(notFound, 404)).toBe(200);
    expect(errorResponseStatus(forbidden, 403)).toBe(403);
  });
});
