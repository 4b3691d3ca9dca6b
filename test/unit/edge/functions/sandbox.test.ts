import { describe, expect, it } from "vitest";
import { loadEngine } from "../../../../src/edge/functions/engine.js";
import { FunctionVm, type RunResult, TICK_BUDGET } from "../../../../src/edge/functions/sandbox.js";

async function load(code: string): Promise<FunctionVm | RunResult> {
  return FunctionVm.load(await loadEngine(), code);
}

async function vmOf(code: string): Promise<FunctionVm> {
  const vm = await load(code);
  if (!(vm instanceof FunctionVm)) throw new Error(`load failed: ${JSON.stringify(vm)}`);
  return vm;
}

const event = JSON.stringify({ request: { uri: "/a", headers: {} } });

describe("the QuickJS sandbox", () => {
  it("calls handler(event) and returns its result as JSON, with console.log lines", async () => {
    const vm = await vmOf(
      `function handler(event) { console.log("uri", event.request.uri, {n: 1}); event.request.uri += "/b"; return event.request; }`,
    );
    const r = vm.invoke(event);
    expect(r).toMatchObject({ ok: true, logs: ['uri /a {"n":1}'] });
    expect(r.ok && JSON.parse(r.output)).toEqual({ uri: "/a/b", headers: {} });
    // The runtime stays warm for the next call.
    expect(vm.invoke(event).ok).toBe(true);
    vm.dispose();
  });

  it("runs cloudfront-js-2.0 style code: const, arrows, async handlers", async () => {
    const vm = await vmOf(
      `const tag = (s) => \`<\${s}>\`; async function handler(event) { await null; return { statusCode: 302, headers: { location: { value: tag(event.request.uri) } } }; }`,
    );
    const r = vm.invoke(event);
    expect(r.ok && JSON.parse(r.output)).toEqual({ statusCode: 302, headers: { location: { value: "</a>" } } });
    vm.dispose();
  });

  it("reports a syntax error or a missing handler as invalid", async () => {
    expect(await load("function handler(event) { return event")).toMatchObject({ ok: false, failure: "invalid" });
    expect(await load("function other() {}")).toMatchObject({
      ok: false,
      failure: "invalid",
      message: expect.stringContaining("handler"),
    });
  });

  it("reports a thrown error, a rejected promise and a non-object result, and discards the runtime", async () => {
    const thrower = await vmOf(`function handler() { throw new Error("boom"); }`);
    expect(thrower.invoke(event)).toMatchObject({ ok: false, failure: "error", message: "Error: boom" });
    expect(thrower.alive).toBe(false);
    const rejecter = await vmOf(`async function handler() { throw new RangeError("late"); }`);
    expect(rejecter.invoke(event)).toMatchObject({ ok: false, failure: "error", message: "RangeError: late" });
    const stringy = await vmOf(`function handler() { return "x"; }`);
    expect(stringy.invoke(event)).toMatchObject({ ok: false, failure: "error" });
  });

  it("stops an endless loop at the compute budget", async () => {
    const vm = await vmOf(`function handler(e) { for (;;) {} }`);
    const r = vm.invoke(event);
    expect(r).toMatchObject({ ok: false, failure: "compute", ticks: TICK_BUDGET + 1 });
  });

  it("stops endless allocation at the memory limit and endless recursion at the stack limit", async () => {
    const alloc = await vmOf(
      `function handler(e) { var a = []; for (;;) a.push({ n: a.length, s: "x" + a.length }); }`,
    );
    expect(alloc.invoke(event)).toMatchObject({ ok: false, failure: "memory" });
    const deep = await vmOf(`function handler(e) { return handler(e); }`);
    expect(deep.invoke(event)).toMatchObject({ ok: false, failure: "memory" });
  });

  it("gives the function nothing of the worker: no fetch, no bindings, no shared globals", async () => {
    const probe = await vmOf(
      `var seen = typeof fetch + "," + typeof caches + "," + typeof process + "," + typeof globalThis.__sfLog; function handler() { return { seen: seen }; }`,
    );
    const r = probe.invoke(event);
    expect(r.ok && JSON.parse(r.output)).toEqual({ seen: "undefined,undefined,undefined,undefined" });
    const a = await vmOf(`var count = 0; function handler() { count++; return { count: count }; }`);
    const b = await vmOf(`function handler() { return { count: typeof count }; }`);
    a.invoke(event);
    const fromB = b.invoke(event);
    expect(fromB.ok && JSON.parse(fromB.output)).toEqual({ count: "undefined" });
  });
});
