/**
 * Raw signed requests from Node (smithy's SignatureV4, the SDKs' signer; test/support/shared/signing.ts), for tests
 * that must send bodies no SDK would produce.
 */
import { signCloudFrontRequest } from "../../support/shared/signing.js";

/** Sends `method endpoint/2020-05-31<path>` signed with test/test, with `headers` signed too. */
export async function signedCall(
  endpoint: string,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  const url = new URL(`${endpoint}/2020-05-31${path}`);
  const signed = await signCloudFrontRequest(
    method,
    url,
    body === undefined ? headers : { "content-type": "text/xml", ...headers },
    body,
  );
  const { host: _host, ...sent } = signed;
  return fetch(url, { method, headers: sent, body });
}

export const errorCodeOf = async (res: Response): Promise<string> =>
  /<Code>([^<]*)<\/Code>/.exec(await res.text())?.[1] ?? `(status ${res.status}, no error code)`;
