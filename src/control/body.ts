/**
 * Reads a request body once, refusing more than MAX_BODY_BYTES before buffering it all (the declared
 * Content-Length is checked first, then the stream is watched as it arrives). SigV4 needs the exact bytes.
 *
 * A refused body is still read to its end (and dropped) before the error goes out, up to MAX_DRAINED_BYTES:
 * answering while the client is still uploading, or cancelling the stream, makes workerd (and wrangler dev's
 * proxy in front of it) break the connection, so the client sees a reset instead of the CloudFront error.
 */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Past this much, an oversized upload is cut off after all (the client then sees the connection break). */
export const MAX_DRAINED_BYTES = 32 * 1024 * 1024;

export type BodyResult = { ok: true; bytes: Uint8Array } | { ok: false };

export async function readLimitedBody(req: Request, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  const declared = Number.parseInt(req.headers.get("content-length") ?? "", 10);
  if (req.body === null) return { ok: true, bytes: new Uint8Array(0) };
  const reader = req.body.getReader();
  if (Number.isFinite(declared) && declared > limit) {
    await drain(reader, 0);
    return { ok: false };
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await drain(reader, size);
      return { ok: false };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { ok: true, bytes };
}

/** Reads and drops the rest of a refused body (see above); `seen` bytes were read already. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, seen: number): Promise<void> {
  let total = seen;
  try {
    while (total <= MAX_DRAINED_BYTES) {
      const { done, value } = await reader.read();
      if (done) return;
      total += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // The client went away: there is no one left to answer.
  }
}
