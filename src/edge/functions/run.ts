/**
 * Running a published function at the edge: one warm QuickJS runtime per function version per isolate (making one
 * costs about ten calls: docs/functions.md), discarded after any failed run so the next request starts clean.
 */
import type { EdgeFunction } from "../../model/edge-config.js";
import { loadEngine } from "./engine.js";
import { FunctionVm, type RunResult } from "./sandbox.js";

/** Warm runtimes by function name and LIVE ETag; a handful per isolate in practice. */
const warm = new Map<string, FunctionVm>();
const MAX_WARM = 64;

function runLoaded(fn: EdgeFunction, eventJson: string): RunResult | Promise<RunResult> {
  const key = `${fn.name}\n${fn.etag}`;
  const vm = warm.get(key);
  if (vm?.alive === true) return vm.invoke(eventJson);
  const engine = loadEngine();
  return engine instanceof Promise
    ? engine.then(() => runLoaded(fn, eventJson))
    : invokeFresh(FunctionVm.load(engine, fn.code), key, eventJson);
}

function invokeFresh(loaded: FunctionVm | RunResult, key: string, eventJson: string): RunResult {
  if (!(loaded instanceof FunctionVm)) return loaded;
  if (warm.size >= MAX_WARM) {
    for (const old of warm.values()) old.dispose();
    warm.clear();
  }
  warm.set(key, loaded);
  return loaded.invoke(eventJson);
}

/** Runs `fn`'s handler on the event (JSON text). Synchronous once the engine and the function are warm. */
export function runAtEdge(fn: EdgeFunction, eventJson: string): RunResult | Promise<RunResult> {
  return runLoaded(fn, eventJson);
}
