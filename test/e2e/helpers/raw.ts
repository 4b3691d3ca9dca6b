/**
 * Raw signed requests from Node (smithy's SignatureV4, the SDKs' signer, with node:crypto hashing), for tests
 * that must send bodies no SDK would produce.
 */
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";

class NodeSha256 {
  private h: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = secret === undefined ? createHash("sha256") : createHmac("sha256", toBuffer(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.h.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
  reset(): void {}
}

const toBuffer = (d: string | ArrayBuffer | ArrayBufferView): Buffer =>
  typeof d === "string"
    ? Buffer.from(d)
    : d instanceof ArrayBuffer
      ? Buffer.from(d)
      : Buffer.from(d.buffer, d.byteOffset, d.byteLength);

const signer = new SignatureV4({
  service: "cloudfront",
  region: "us-east-1",
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
  sha256: NodeSha256,
});

/** Sends `method endpoint/2020-05-31<path>` signed with test/test. */
export async function signedCall(endpoint: string, method: string, path: string, body?: string): Promise<Response> {
  const url = new URL(`${endpoint}/2020-05-31${path}`);
  const query: Record<string, string> = {};
  url.searchParams.forEach((v, k) => {
    query[k] = v;
  });
  const signed = await signer.sign({
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query,
    headers: { host: url.host, ...(body === undefined ? {} : { "content-type": "text/xml" }) },
    body,
  });
  const { host: _host, ...headers } = signed.headers;
  return fetch(url, { method, headers, body });
}

export const errorCodeOf = async (res: Response): Promise<string> =>
  /<Code>([^<]*)<\/Code>/.exec(await res.text())?.[1] ?? `(status ${res.status}, no error code)`;
