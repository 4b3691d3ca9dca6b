/**
 * `Authorization: Bearer <METRICS_TOKEN>` for the Prometheus endpoint: Prometheus scrapes with a static bearer
 * token and cannot sign SigV4. Compared in constant time (of SHA-256 digests, so the length leaks nothing); an
 * unset or empty secret accepts no token.
 */
const utf8 = new TextEncoder();

const digest = async (text: string): Promise<ArrayBuffer> => crypto.subtle.digest("SHA-256", utf8.encode(text));

export async function bearerAllowed(authorization: string | undefined, token: string | undefined): Promise<boolean> {
  if (typeof token !== "string" || token === "" || authorization === undefined) return false;
  const match = /^Bearer +(\S+) *$/i.exec(authorization);
  if (match === null) return false;
  const [given, expected] = await Promise.all([digest(match[1] ?? ""), digest(token)]);
  return crypto.subtle.timingSafeEqual(given, expected);
}
