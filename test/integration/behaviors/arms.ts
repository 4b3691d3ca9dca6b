/**
 * Shared by the behaviour tests: a header policy that sends a viewer to staging deterministically, and a helper
 * that sends the same request once as a primary viewer and once as a staging viewer.
 */
import { viewer } from "../../support/worker/edge.js";
import { headerPolicy } from "../../support/worker/fixtures.js";

export const POLICY = headerPolicy("aws-cf-cd-test", "blue");
export const TO_STAGING = { "aws-cf-cd-test": "blue" };

export interface Init {
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  /** Cloudflare's request.cf properties (workerd accepts them on a Request). */
  cf?: { country: string };
}

/** The request as a staging viewer: the same init with the policy's header added. */
export function staged(init: Init = {}): Init {
  return { ...init, headers: { ...init.headers, ...TO_STAGING } };
}

/** [primary viewer's response, staging viewer's response] for the same request. */
export async function both(
  host: string,
  path: string,
  init: Init = {},
  scheme = "http",
): Promise<[Response, Response]> {
  const p = await viewer(host, path, { ...init, redirect: "manual" }, scheme);
  const s = await viewer(host, path, { ...staged(init), redirect: "manual" }, scheme);
  return [p, s];
}
