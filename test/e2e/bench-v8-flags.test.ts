/**
 * bench/v8-flags.mjs, which bench:instructions puts between Miniflare and workerd to hand V8 a flag (bench/callgrind.ts):
 * a real workerd started by Miniflare through the same kind of wrapper gets the flag (`--expose-gc` makes `gc` a
 * global a worker can see), and one started without it does not.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { afterAll, describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("../../bench/v8-flags.mjs", import.meta.url));
const workerd = join(
  dirname(createRequire(import.meta.url).resolve("@cloudflare/workerd-linux-64/package.json")),
  "bin",
  "workerd",
);
const dir = mkdtempSync(join(tmpdir(), "splitfront-v8-flags-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a worker sees of `gc` in a workerd that Miniflare starts through `wrapper` (none: directly). */
async function typeofGc(wrapper: string | null): Promise<string> {
  const before = process.env.MINIFLARE_WORKERD_PATH;
  if (wrapper !== null) process.env.MINIFLARE_WORKERD_PATH = wrapper;
  const mf = new Miniflare({
    modules: true,
    script: "export default { fetch() { return new Response(typeof globalThis.gc); } }",
  });
  try {
    return await (await mf.dispatchFetch("http://flags.test/")).text();
  } finally {
    await mf.dispose();
    if (before === undefined) delete process.env.MINIFLARE_WORKERD_PATH;
    else process.env.MINIFLARE_WORKERD_PATH = before;
  }
}

describe("bench/v8-flags.mjs", () => {
  it("hands workerd's V8 the flags given, through the config Miniflare writes", async () => {
    const wrapper = join(dir, "workerd");
    writeFileSync(
      wrapper,
      `#!/bin/bash\nexec ${workerd} "$@" < <(${process.execPath} ${script} --expose-gc --no-concurrent-recompilation)\n`,
    );
    chmodSync(wrapper, 0o755);
    expect(await typeofGc(wrapper)).toBe("function");
    expect(await typeofGc(null)).toBe("undefined");
  });
});
