import { describe, expect, it } from "vitest";
import { readLimitedBody } from "../../../src/control/body.js";

function streamed(chunks: number[]): Request {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const n of chunks) controller.enqueue(new Uint8Array(n).fill(97));
      controller.close();
    },
  });
  return new Request("http://x/", { method: "POST", body, duplex: "half" } as RequestInit);
}

describe("readLimitedBody", () => {
  it("reads a body within the limit exactly", async () => {
    const r = await readLimitedBody(streamed([3, 4]), 10);
    expect(r.ok && new TextDecoder().decode(r.bytes)).toBe("aaaaaaa");
  });

  it("stops a streamed body (no Content-Length) once it passes the limit", async () => {
    expect((await readLimitedBody(streamed([6, 6, 6]), 10)).ok).toBe(false);
  });

  it("refuses a declared Content-Length over the limit without reading", async () => {
    const req = new Request("http://x/", { method: "POST", body: "x".repeat(11) });
    expect((await readLimitedBody(req, 10)).ok).toBe(false);
  });

  it("an absent body is empty", async () => {
    const r = await readLimitedBody(new Request("http://x/"), 10);
    expect(r.ok && r.bytes.byteLength).toBe(0);
  });
});
