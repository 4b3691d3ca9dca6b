/**
 * One CloudFront Function's code loaded into its own QuickJS runtime (own heap, own globals; only ECMAScript
 * built-ins and console.log), and the call of its `handler(event)` with CloudFront's limits: a counted compute
 * budget, a memory cap and a stack cap. Events go in and results come out as JSON text, so nothing of the worker
 * is reachable from the function. Synchronous once the engine is loaded.
 */
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from "quickjs-emscripten-core";

/**
 * QuickJS calls the interrupt handler every 10,000 interpreter branches or calls (a tick, ~0.2 ms here). A run
 * may use this many ticks: about 200k branches. CloudFront's budget is about 1 ms of its own runtime's time.
 */
export const TICK_BUDGET = 20;
/** CloudFront Functions' memory limit is 2 MB; the runtime's own intrinsics count against it too. */
export const MEMORY_LIMIT_BYTES = 2 * 1024 * 1024;
const STACK_LIMIT_BYTES = 256 * 1024;
/** console.log lines kept per run, and characters per line (TestFunction and the access log carry them). */
const MAX_LOG_LINES = 50;
const MAX_LOG_CHARS = 1_000;
const MAX_ERROR_CHARS = 1_000;

export type RunFailure =
  /** The code does not compile or defines no handler. */
  | "invalid"
  /** The handler threw, or its promise rejected, or it returned something that is not an object. */
  | "error"
  /** The compute budget ran out. */
  | "compute"
  /** The memory limit was reached (or the stack). */
  | "memory";

export type RunResult =
  | { ok: true; output: string; ticks: number; logs: string[] }
  | { ok: false; failure: RunFailure; message: string; ticks: number; logs: string[] };

/** Defines console.log over the host's log sink, then hides the sink from the function's code. */
const PRELUDE = `(function (log) {
  var show = function (a) { if (typeof a === "string") return a; try { var s = JSON.stringify(a); return s === undefined ? String(a) : s; } catch (e) { return String(a); } };
  globalThis.console = { log: function () { var p = []; for (var i = 0; i < arguments.length; i++) p.push(show(arguments[i])); log(p.join(" ")); } };
})(globalThis.__sfLog); delete globalThis.__sfLog;`;

/**
 * The driver, evaluated after the function's code: it captures `handler` (so later global writes cannot swap it)
 * and returns the JSON of the result, or "" while an async handler's promise is pending (then `take` settles it).
 */
const DRIVER = `(function (h) {
  if (typeof h !== "function") throw new TypeError("The function code does not define a handler function");
  var box = null;
  var out = function (v) { if (v === null || typeof v !== "object") throw new TypeError("The handler must return an object, not " + (v === null ? "null" : typeof v)); return JSON.stringify(v); };
  return {
    run: function (json) {
      var r = h(JSON.parse(json));
      if (r !== null && typeof r === "object" && typeof r.then === "function") {
        box = { done: false };
        r.then(function (v) { box = { done: true, v: v }; }, function (e) { box = { done: true, e: e }; });
        return "";
      }
      return out(r);
    },
    take: function () {
      if (box === null || !box.done) throw new Error("The handler's promise did not settle");
      var b = box; box = null;
      if ("e" in b) throw b.e;
      return out(b.v);
    }
  };
})(typeof handler === "undefined" ? undefined : handler)`;

/** What the runtime's callbacks write to: the current run's tick count and log lines. */
interface Meter {
  ticks: number;
  logs: string[];
}

export class FunctionVm {
  private constructor(
    private readonly runtime: QuickJSRuntime,
    private readonly context: QuickJSContext,
    private readonly meter: Meter,
    private readonly run: QuickJSHandle,
    private readonly take: QuickJSHandle,
  ) {}

  /** Loads `code`; a failure (syntax error, no handler, an overrun at the top level) is a RunResult. */
  static load(engine: QuickJSWASMModule, code: string): FunctionVm | RunResult {
    const meter: Meter = { ticks: 0, logs: [] };
    const runtime = engine.newRuntime();
    runtime.setMemoryLimit(MEMORY_LIMIT_BYTES);
    runtime.setMaxStackSize(STACK_LIMIT_BYTES);
    runtime.setInterruptHandler(() => {
      meter.ticks += 1;
      return meter.ticks > TICK_BUDGET;
    });
    const context = runtime.newContext();
    const fail = (failure: RunFailure, message: string): RunResult => {
      context.dispose();
      runtime.dispose();
      return { ok: false, failure, message, ticks: meter.ticks, logs: meter.logs };
    };
    const sink = context.newFunction("log", (line) => {
      if (meter.logs.length < MAX_LOG_LINES) meter.logs.push(context.getString(line).slice(0, MAX_LOG_CHARS));
    });
    context.setProp(context.global, "__sfLog", sink);
    sink.dispose();
    const steps: [string, RunFailure][] = [
      [PRELUDE, "invalid"],
      [code, "invalid"],
    ];
    for (const [source, as] of steps) {
      const r = context.evalCode(source, "function.js");
      if (r.error !== undefined) {
        const e = describe(context, r.error, meter.ticks);
        return fail(e.failure === "error" ? as : e.failure, e.message);
      }
      r.value.dispose();
    }
    const made = context.evalCode(DRIVER);
    if (made.error !== undefined) return fail("invalid", describe(context, made.error, meter.ticks).message);
    const run = context.getProp(made.value, "run");
    const take = context.getProp(made.value, "take");
    made.value.dispose();
    return new FunctionVm(runtime, context, meter, run, take);
  }

  /** Top-level console.log lines and ticks spent while loading, before the first invoke() resets them. */
  get loadLogs(): string[] {
    return this.meter.logs;
  }

  /**
   * Calls handler(event) with `eventJson`. After a failed run the VM is disposed (its heap may be exhausted or
   * half-updated): the caller must load a new one.
   */
  invoke(eventJson: string): RunResult {
    const { context, runtime, meter } = this;
    meter.ticks = 0;
    meter.logs = [];
    const arg = context.newString(eventJson);
    let result = context.callFunction(this.run, context.undefined, arg);
    arg.dispose();
    if (result.error === undefined && context.getString(result.value) === "") {
      result.value.dispose();
      const jobs = runtime.executePendingJobs();
      if (jobs.error !== undefined) jobs.error.dispose();
      result = context.callFunction(this.take, context.undefined);
    }
    if (result.error !== undefined) {
      const e = describe(context, result.error, meter.ticks);
      this.dispose();
      return { ok: false, ...e, ticks: meter.ticks, logs: meter.logs };
    }
    const output = context.getString(result.value);
    result.value.dispose();
    return { ok: true, output, ticks: meter.ticks, logs: meter.logs };
  }

  get alive(): boolean {
    return this.context.alive;
  }

  dispose(): void {
    if (!this.context.alive) return;
    this.run.dispose();
    this.take.dispose();
    this.context.dispose();
    this.runtime.dispose();
  }
}

/** What a thrown value means: our interrupt, QuickJS's memory/stack errors, or the function's own error. */
function describe(
  context: QuickJSContext,
  error: QuickJSHandle,
  ticks: number,
): { failure: RunFailure; message: string } {
  let message: string;
  try {
    const e: unknown = context.dump(error);
    message =
      e !== null && typeof e === "object" && "message" in e
        ? `${String((e as { name?: unknown }).name ?? "Error")}: ${String(e.message)}`
        : String(e);
  } catch {
    message = "Error";
  } finally {
    error.dispose();
  }
  message = message.slice(0, MAX_ERROR_CHARS);
  if (ticks > TICK_BUDGET) return { failure: "compute", message: "The function exceeded its compute budget" };
  if (/^InternalError: (out of memory|stack overflow)/.test(message)) return { failure: "memory", message };
  return { failure: "error", message };
}
