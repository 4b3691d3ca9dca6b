/**
 * Edge cache: one Cache API namespace per distribution, so an object primary cached is never served to a
 * staging viewer and vice versa (staging starts cold, as on CloudFront). The stored copy carries our TTL in
 * Cache-Control (which the Cache API obeys); the origin's own Cache-Control is stashed beside it and given back to
 * viewers on a hit, with an Age header.
 */

const STASHED_CACHE_CONTROL = "x-splitfront-origin-cache-control";
const STORED_AT = "x-splitfront-stored-at";

/**
 * Opened per request on purpose: a Cache object belongs to the request that opened it, and a later request that
 * reuses it waits on that request's I/O context (measured: a cache hit went from ~1 ms to ~300 ms).
 */
export function cacheFor(distributionId: string): Promise<Cache> {
  return caches.open(`splitfront:${distributionId}`);
}

/** The Cache API keys on GET requests; HEAD viewers are answered from the GET entry. */
export function cacheRequest(key: string): Request {
  return new Request(key, { method: "GET" });
}

export async function lookup(cache: Cache, key: string, now: number): Promise<Response | undefined> {
  const hit = await cache.match(cacheRequest(key));
  if (hit === undefined) return undefined;
  // Stored as the origin sent it (origin.ts fetches with encodeResponseBody: "manual"): sent on as stored, never
  // compressed a second time.
  const response = new Response(hit.body, { status: hit.status, headers: hit.headers, encodeBody: "manual" });
  const headers = response.headers;
  const original = headers.get(STASHED_CACHE_CONTROL);
  if (original === null) headers.delete("cache-control");
  else headers.set("cache-control", original);
  headers.delete(STASHED_CACHE_CONTROL);
  const storedAt = Number(headers.get(STORED_AT));
  headers.delete(STORED_AT);
  if (Number.isFinite(storedAt) && storedAt > 0)
    headers.set("age", String(Math.max(0, Math.floor((now - storedAt) / 1000))));
  return response;
}

/** How a response is stored: for `ttlS` seconds from `now`; `whole`: its body is known complete (see below). */
export interface StoreOptions {
  ttlS: number;
  now: number;
  /**
   * The body is in memory or absent, so the copy written is complete. Otherwise it is still arriving from the
   * origin and may yet fail: it is stored only once it has arrived whole (and not at all past MAX_VERIFIED_BYTES),
   * since a cache write of a stream that fails midway can store what arrived as if it were all (it does locally).
   */
  whole: boolean;
}

/** The largest streamed body held in memory to check it is complete before storing it. */
export const MAX_VERIFIED_BYTES = 16 * 1024 * 1024;

/**
 * Stores a copy of `response` and returns the response to send the viewer (the other branch of the body). The
 * write runs in the background.
 */
export function store(
  cache: Cache,
  key: string,
  response: Response,
  opts: StoreOptions,
  waitUntil: (p: Promise<unknown>) => void,
): Response {
  const length = response.headers.get("content-length");
  if (!opts.whole && length !== null && Number(length) > MAX_VERIFIED_BYTES) return response;
  const [forViewer, forCache] = response.body === null ? [null, null] : response.body.tee();
  const stored = new Response(forCache, response);
  const original = response.headers.get("cache-control");
  if (original !== null) stored.headers.set(STASHED_CACHE_CONTROL, original);
  stored.headers.set("cache-control", `max-age=${opts.ttlS}`);
  stored.headers.set(STORED_AT, String(opts.now));
  const written = opts.whole
    ? cache.put(cacheRequest(key), stored)
    : wholeBody(stored).then((bytes) =>
        bytes === null ? undefined : cache.put(cacheRequest(key), new Response(bytes, stored)),
      );
  waitUntil(
    written.catch((err: unknown) => {
      console.error(JSON.stringify({ msg: "cache write failed", error: String(err) }));
    }),
  );
  return new Response(forViewer, response);
}

/** The body once it has all arrived, or null when it failed or grew past MAX_VERIFIED_BYTES (then nothing is stored). */
async function wholeBody(response: Response): Promise<Uint8Array | null> {
  const body = response.body;
  if (body === null) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_VERIFIED_BYTES) {
        await reader.cancel();
        return null;
      }
      chunks.push(value);
    }
  } catch {
    // The origin's body failed (origin-body.ts logged why): nothing is stored.
    return null;
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}
