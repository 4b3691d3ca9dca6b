/**
 * The console's only way out: requests to the control API on this page's own origin, signed in the browser with
 * AWS Signature Version 4 (service `cloudfront`, region `us-east-1`) by aws4fetch, with the key pair the operator
 * signed in with. Errors come back as ApiError with the API's code (CloudFront's XML error or the extensions' JSON
 * error), whatever the format.
 */
import { AwsClient } from "aws4fetch";

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface SendOptions {
  body?: string;
  contentType?: string;
  ifMatch?: string;
}

export interface Answer<T> {
  value: T;
  etag: string | null;
}

/** The children of `el` named `name` (namespace aside: CloudFront's XML has a default namespace). */
export function children(el: Element | null | undefined, name: string): Element[] {
  if (el === null || el === undefined) return [];
  return Array.from(el.children).filter((c) => c.localName === name);
}

export const child = (el: Element | null | undefined, name: string): Element | null => children(el, name)[0] ?? null;

/** The text of the child at `path` ("TrafficConfig/Type"), or "" when any step is missing. */
export function text(el: Element | null | undefined, path: string): string {
  let at: Element | null | undefined = el;
  for (const name of path.split("/")) at = child(at, name);
  return at?.textContent ?? "";
}

export class Api {
  private readonly aws: AwsClient;

  /** `endpoint`: this origin and CONTROL_PATH_PREFIX, e.g. http://127.0.0.1:8787/_cd */
  constructor(
    readonly endpoint: string,
    readonly credentials: Credentials,
  ) {
    // No retries: a refresh comes every few seconds anyway, and an action must not run twice.
    this.aws = new AwsClient({ ...credentials, service: "cloudfront", region: "us-east-1", retries: 0 });
  }

  private async send(method: string, path: string, o: SendOptions): Promise<Response> {
    const headers: Record<string, string> = {};
    if (o.contentType !== undefined) headers["content-type"] = o.contentType;
    if (o.ifMatch !== undefined) headers["if-match"] = o.ifMatch;
    let res: Response;
    try {
      res = await this.aws.fetch(`${this.endpoint}${path}`, { method, headers, body: o.body, cache: "no-store" });
    } catch (e) {
      throw new ApiError(0, "NetworkError", `Could not reach ${this.endpoint} (${String(e)}).`);
    }
    if (!res.ok) throw await errorOf(res);
    return res;
  }

  /** A CloudFront REST-XML call; the answer is the root element of its document (null for an empty body). */
  async xml(method: string, path: string, o: SendOptions = {}): Promise<Answer<Element | null>> {
    const res = await this.send(method, path, o.body === undefined ? o : { contentType: "text/xml", ...o });
    const body = await res.text();
    const root = body === "" ? null : new DOMParser().parseFromString(body, "application/xml").documentElement;
    return { value: root, etag: res.headers.get("etag") };
  }

  /** An extensions call (JSON both ways). */
  async json<T>(method: string, path: string, body?: unknown, o: SendOptions = {}): Promise<Answer<T>> {
    const withBody = body === undefined ? o : { ...o, body: JSON.stringify(body), contentType: "application/json" };
    const res = await this.send(method, path, withBody);
    return { value: (await res.json()) as T, etag: res.headers.get("etag") };
  }
}

async function errorOf(res: Response): Promise<ApiError> {
  const body = await res.text().catch(() => "");
  try {
    const j = JSON.parse(body) as { error?: { code?: string; message?: string } };
    if (j.error?.code !== undefined) return new ApiError(res.status, j.error.code, j.error.message ?? j.error.code);
  } catch {
    // not JSON: CloudFront's XML below
  }
  const doc = new DOMParser().parseFromString(body, "application/xml").documentElement;
  const code = text(doc, "Error/Code");
  if (code !== "") return new ApiError(res.status, code, text(doc, "Error/Message") || code);
  return new ApiError(res.status, `HTTP${res.status}`, `HTTP ${res.status} ${res.statusText}`.trim());
}

/** What an AccessDenied means for the person signing in (the API names the reason in its message). */
export function accessDeniedText(e: ApiError): string {
  const reason = /Access denied: ([a-z-]+)\./.exec(e.message)?.[1];
  switch (reason) {
    case "bad-signature":
      return "Wrong secret access key: the request's signature does not match this access key ID's secret.";
    case "unknown-key":
      return "Unknown access key ID: this worker has no such key (its CONTROL_ACCESS_KEYS secret lists them).";
    case "clock-skew":
      return "This computer's clock is more than 15 minutes off: correct it, then sign in again.";
    default:
      return `Access denied: ${e.message}`;
  }
}
