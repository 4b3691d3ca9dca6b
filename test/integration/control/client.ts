/**
 * A signed CloudFront-API client for the workerd integration tests: requests are signed with smithy's
 * SignatureV4 (the signer inside the AWS SDKs) with WebCrypto hashing, and sent through the real worker
 * (`exports.default.fetch`), so routing, SigV4 verification, the Durable Object and KV are all real.
 */

import { exports } from "cloudflare:workers";
import { SignatureV4 } from "@smithy/signature-v4";

const enc = new TextEncoder();

/** smithy's Checksum interface over WebCrypto (SHA-256, or HMAC-SHA-256 when given a secret). */
class WebCryptoSha256 {
  private chunks: Uint8Array[] = [];
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {}
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.chunks.push(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    const data = concat(this.chunks);
    if (this.secret === undefined) return new Uint8Array(await crypto.subtle.digest("SHA-256", data));
    const key = await crypto.subtle.importKey("raw", toBytes(this.secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
    ]);
    return new Uint8Array(await crypto.subtle.sign("HMAC", key, data));
  }
  reset(): void {
    this.chunks = [];
  }
}

function toBytes(d: string | ArrayBuffer | ArrayBufferView): Uint8Array {
  if (typeof d === "string") return enc.encode(d);
  if (d instanceof ArrayBuffer) return new Uint8Array(d);
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

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
}

export async function call(method: string, path: string, opts: CallOptions = {}): Promise<Response> {
  const url = new URL(`${ORIGIN}${PREFIX}${path}`);
  const headers: Record<string, string> = { host: url.host, ...(opts.headers ?? {}) };
  if (opts.body !== undefined) headers["content-type"] = "text/xml";
  let signedHeaders = headers;
  if (!opts.unsigned) {
    const signer = new SignatureV4({
      service: "cloudfront",
      region: "us-east-1",
      credentials: opts.credentials ?? { accessKeyId: "test", secretAccessKey: "test" },
      sha256: WebCryptoSha256,
    });
    const query: Record<string, string> = {};
    url.searchParams.forEach((v, k) => {
      query[k] = v;
    });
    const signed = await signer.sign(
      {
        method,
        protocol: url.protocol,
        hostname: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        query,
        headers,
        body: opts.body,
      },
      { signingDate: opts.signingDate ?? new Date() },
    );
    signedHeaders = signed.headers;
  }
  return exports.default.fetch(new Request(url, { method, headers: signedHeaders, body: opts.sendBody ?? opts.body }));
}

/** The Code of a CloudFront error body. */
export async function errorCode(res: Response): Promise<string> {
  const text = await res.text();
  return /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? `(no error code; status ${res.status}: ${text.slice(0, 200)})`;
}

/** The text of the first element `tag` in an XML body. */
export const tagText = (xml: string, tag: string): string | undefined =>
  new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];
