/**
 * A signed CloudFront-API client for the workerd integration tests: requests are signed with smithy's
 * SignatureV4 (the signer inside the AWS SDKs) with WebCrypto hashing, and sent through the real worker
 * (`exports.default.fetch`), so routing, SigV4 verification, the Durable Object and KV are all real.
 */

import { exports } from "cloudflare:workers";
import { signCloudFrontRequest } from "../../support/shared/signing.js";

export const ORIGIN = "http://127.0.0.1:8787";
export const PREFIX = "/_cd/2020-05-31";

export interface CallOptions {
  body?: string;
  headers?: Record<string, string>;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Send without a signature. */
  unsigned?: boolean;
  /** Sign as of this time (default now). */
  signingDate?: Date;
  /** Send this body instead of the signed one. */
  sendBody?: string;
  /** Sign and send these bytes as the body (for bodies that are not UTF-8). */
  bytes?: Uint8Array;
}

export async function call(method: string, path: string, opts: CallOptions = {}): Promise<Response> {
  const url = new URL(`${ORIGIN}${PREFIX}${path}`);
  const headers: Record<string, string> = { host: url.host, ...(opts.headers ?? {}) };
  const body = opts.bytes ?? opts.body;
  if (body !== undefined) headers["content-type"] = "text/xml";
  let signedHeaders = headers;
  if (!opts.unsigned) {
    const { host: _host, ...rest } = headers;
    signedHeaders = await signCloudFrontRequest(method, url, rest, body, opts);
  }
  return exports.default.fetch(new Request(url, { method, headers: signedHeaders, body: opts.sendBody ?? body }));
}

/** The Code of a CloudFront error body. */
export async function errorCode(res: Response): Promise<string> {
  const text = await res.text();
  return /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? `(no error code; status ${res.status}: ${text.slice(0, 200)})`;
}

/** The text of the first element `tag` in an XML body. */
export const tagText = (xml: string, tag: string): string | undefined =>
  new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];
