/**
 * Reads a request body once, refusing more than MAX_BODY_BYTES before buffering it all (the declared
 * Content-Length is checked first, then the stream is cut off when it overruns). SigV4 needs the exact bytes.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

export type BodyResult = { ok: true; bytes: Uint8Array } | { ok: false };

export async function readLimitedBody(req: Request, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  const declared = Number.parseInt(req.headers.get("content-length") ?? "", 10);
  if (Number.isFinite(declared) && declared > limit) return { ok: false };
  if (req.body === null) return { ok: true, bytes: new Uint8Array(0) };
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
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
