/**
 * Helpers for edge integration tests: publish compiled records into the real KV binding exactly as the control
 * plane does, and send viewer requests through the real worker.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { inject } from "vitest";
import worker from "../../../src/index.js";
import type { EdgeConfig, EdgeDistribution, EdgePolicy } from "../../../src/model/edge-config.js";
import { hostKey } from "../../../src/model/edge-config.js";
import { distribution, viewerHost } from "./fixtures.js";

let counter = 0;

/** A hostname no other test uses, so isolate-level memos never mix tests. */
export function uniqueHost(label: string): string {
  counter += 1;
  return `${label}-${counter}-${Math.random().toString(36).slice(2, 8)}.test`;
}

export async function publish(config: EdgeConfig): Promise<void> {
  await env.EDGE_CONFIG.put(hostKey(config.host), JSON.stringify(config));
}

/**
 * A viewer request through the worker's real entry point (its default export, with this test's KV, Cache and
 * Durable Objects). Not SELF.fetch: under vitest-pool-workers every SELF.fetch is slower than the one before
 * (cloudflare/workers-sdk#15446), which turns the 2,000-request tests into minutes. The body is read and the
 * request's waitUntil work (cache writes) finished before this returns, as a viewer's next request would see it.
 */
export async function viewer(host: string, path = "/", init?: RequestInit, scheme = "http"): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`${scheme}://${host}${path}`, init), env, ctx);
  if (response.webSocket !== null) return response;
  const body = await response.arrayBuffer();
  await waitOnExecutionContext(ctx);
  return new Response(response.status === 204 || response.status === 304 ? null : body, response);
}

/** What a viewer got when its response's body may break: the body's text, or null when reading it failed. */
export interface ViewerRead {
  status: number;
  headers: Headers;
  body: string | null;
}

/**
 * A viewer request through the worker's real entry point whose body is read here: a body that breaks off (the
 * edge's answer to an origin fault) reads as `body: null`, the in-runtime view of a broken connection.
 */
export async function viewerRead(host: string, path = "/", init?: RequestInit): Promise<ViewerRead> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`http://${host}${path}`, init), env, ctx);
  let body: string | null;
  try {
    body = await response.text();
  } catch {
    body = null;
  }
  await waitOnExecutionContext(ctx);
  return { status: response.status, headers: response.headers, body };
}

export interface TwoArms {
  host: string;
  primary: EdgeDistribution;
  staging: EdgeDistribution;
}

/** A primary on the "primary" test origin and a staging distribution on the "staging" one, with `policy`. */
export async function publishTwoArms(
  label: string,
  policy: EdgePolicy | null,
  tweak: { primary?: Partial<EdgeDistribution>; staging?: Partial<EdgeDistribution> } = {},
): Promise<TwoArms> {
  const ports = inject("origins");
  const host = uniqueHost(label);
  const primary = distribution("EPRIMARY000001", ports.primary, tweak.primary);
  const staging = distribution("ESTAGING000001", ports.staging, tweak.staging);
  await publish(viewerHost(host, primary, policy, staging));
  return { host, primary, staging };
}

export interface EchoBody {
  origin: string;
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export async function echo(response: Response): Promise<EchoBody> {
  return (await response.json()) as EchoBody;
}

/** The value of the session cookie in a Set-Cookie header, or null. */
export function sessionCookie(response: Response, name = "sf-cd-session"): string | null {
  const header = response.headers.get("set-cookie");
  if (header === null) return null;
  const match = new RegExp(`(?:^|,\\s*)${name}=([^;]+)`).exec(header);
  return match?.[1] ?? null;
}
