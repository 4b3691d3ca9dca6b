/**
 * Signing CloudFront-API requests in tests the way the AWS SDKs do: smithy's SignatureV4 (the signer inside the
 * SDKs) over a Web Crypto hash, which both workerd and Node 20 provide, so the workerd tiers and the Node e2e
 * tier sign with the same code.
 */
import { SignatureV4 } from "@smithy/signature-v4";
import type { Checksum, SourceData } from "@smithy/types";

const utf8 = new TextEncoder();

/** Always a copy over a plain ArrayBuffer: what Web Crypto's types accept in workerd and in Node alike. */
const toBytes = (data: SourceData): Uint8Array<ArrayBuffer> =>
  typeof data === "string"
    ? utf8.encode(data).slice()
    : data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();

/** smithy's hash interface over Web Crypto: SHA-256, or HMAC-SHA-256 when given a secret. */
export class WebCryptoSha256 implements Checksum {
  private chunks: Uint8Array<ArrayBuffer>[] = [];
  constructor(private readonly secret?: SourceData) {}
  update(data: SourceData): void {
    this.chunks.push(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    const data = new Uint8Array(this.chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of this.chunks) {
      data.set(c, at);
      at += c.length;
    }
    if (this.secret === undefined) return new Uint8Array(await crypto.subtle.digest("SHA-256", data));
    const hmac = { name: "HMAC", hash: "SHA-256" };
    const key = await crypto.subtle.importKey("raw", toBytes(this.secret), hmac, false, ["sign"]);
    return new Uint8Array(await crypto.subtle.sign("HMAC", key, data));
  }
  reset(): void {
    this.chunks = [];
  }
}

export interface SignOptions {
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Sign as of this time (default now). */
  signingDate?: Date;
}

/** The headers (including `host`) of `method url` with `body`, signed for cloudfront / us-east-1. */
export async function signCloudFrontRequest(
  method: string,
  url: URL,
  headers: Record<string, string>,
  body: string | Uint8Array | undefined,
  opts: SignOptions = {},
): Promise<Record<string, string>> {
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
      headers: { host: url.host, ...headers },
      body,
    },
    { signingDate: opts.signingDate ?? new Date() },
  );
  return signed.headers;
}
