/**
 * A minimal loopback HTTP client for the harness's own requests (seeding cookies, warming caches, probes).
 * node:http rather than fetch because the scenarios need a Host header other than the socket's address.
 */
import { request as httpRequest } from "node:http";

export interface SimpleResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Wall time of the exchange, in milliseconds. */
  ms: number;
}

export function get(url: string, headers: Record<string, string> = {}): Promise<SimpleResponse> {
  return send("GET", url, headers);
}

export function send(
  method: string,
  url: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<SimpleResponse> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString("utf8"),
          ms: performance.now() - start,
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** "name=value" of the first Set-Cookie whose name is `name`, or null. */
export function cookieFrom(res: SimpleResponse, name: string): string | null {
  const raw = res.headers["set-cookie"];
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  for (const c of list) {
    const pair = c.split(";", 1)[0] ?? "";
    if (pair.startsWith(`${name}=`)) return pair;
  }
  return null;
}
