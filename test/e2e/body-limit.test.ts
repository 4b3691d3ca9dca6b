/**
 * A control-API request body over the 1 MiB limit, sent over a raw socket as a client that uploads the whole body
 * before reading the answer does (curl, Python's http.client): it must read a CloudFront error, not a reset
 * connection. workerd breaks the connection when the response goes out while a body nobody read is still
 * arriving (src/control/body.ts drains it).
 */
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { useWorker } from "./helpers/worker.js";

const t = useWorker();

/** POSTs `size` bytes to the control API; resolves with what came back, or with the socket's error. */
function post(size: number, framing: "content-length" | "chunked"): Promise<string> {
  const url = new URL(t.worker.url);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), "127.0.0.1");
    let data = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      data += chunk;
    });
    socket.on("error", (err: NodeJS.ErrnoException) => resolve(`${err.code ?? "error"} after: ${data}`));
    socket.on("close", () => resolve(data));
    const length = framing === "content-length" ? `Content-Length: ${size}` : "Transfer-Encoding: chunked";
    socket.write(`POST /_cd/2020-05-31/distribution HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${length}\r\n\r\n`);
    const piece = Buffer.alloc(64 * 1024, "a");
    for (let sent = 0; sent < size; sent += piece.length) {
      socket.write(
        framing === "chunked" ? Buffer.concat([Buffer.from("10000\r\n"), piece, Buffer.from("\r\n")]) : piece,
      );
    }
    if (framing === "chunked") socket.end("0\r\n\r\n");
    else socket.end();
  });
}

describe("an oversized control-API body", () => {
  for (const framing of ["content-length", "chunked"] as const) {
    it(`gets a readable CloudFront error, not a reset (${framing})`, async () => {
      const answer = await post(20 * 1024 * 1024, framing);
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toContain("<Code>InvalidArgument</Code>");
      expect(answer).toContain("larger than 1048576 bytes");
    });
  }

  it("a body within the limit is still read and judged", async () => {
    // Unsigned: refused by SigV4, i.e. the body was read and the request judged.
    const answer = await post(64 * 1024, "content-length");
    expect(answer).toMatch(/^HTTP\/1\.1 403 /);
    expect(answer).toContain("<Code>AccessDenied</Code>");
  });
});
