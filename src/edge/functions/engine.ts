/**
 * The QuickJS engine (WebAssembly) that runs CloudFront Functions, loaded once per isolate on first use: a path
 * that runs no function never evaluates or instantiates it. docs/functions.md says why this sandbox.
 */
import type { QuickJSWASMModule } from "quickjs-emscripten-core";

let engine: QuickJSWASMModule | undefined;

/**
 * The engine, synchronously once loaded. Only the resolved module is memoised, never the promise: workerd ties a
 * promise to the request that created it, and another request awaiting it is slow (see the Cache API trap in
 * bench/README.md). Two first requests racing may both instantiate; the second result wins, both work.
 */
export function loadEngine(): QuickJSWASMModule | Promise<QuickJSWASMModule> {
  if (engine !== undefined) return engine;
  return import("./quickjs.js")
    .then((m) => m.instantiate())
    .then((m) => {
      engine = m;
      return m;
    });
}
