/**
 * TestFunction: runs a function stage's code on a caller's event object in a fresh QuickJS runtime (the sandbox
 * the edge uses, with the same limits) and reports what CloudFront reports: the returned event object
 * (`{"request": …}` or `{"response": …}`), the compute utilisation as a percentage of the budget, the console.log
 * lines and the error message.
 */

import { loadEngine } from "../edge/functions/engine.js";
import type { FnEventType } from "../edge/functions/event.js";
import { readOutcome } from "../edge/functions/event.js";
import { FunctionVm, TICK_BUDGET } from "../edge/functions/sandbox.js";

export interface TestOutcome {
  computeUtilization: string;
  logs: string[];
  errorMessage: string;
  output: string;
}

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export function decodeBase64Text(b64: string): string | null {
  try {
    const bin = atob(b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

/** The event object, if it is one: JSON with a `request` object. Its type: viewer-response when it has a response. */
export function parseEventObject(text: string): { json: string; eventType: FnEventType } | { error: string } {
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    return { error: "The EventObject is not valid JSON." };
  }
  if (event === null || typeof event !== "object") return { error: "The EventObject must be a JSON object." };
  const e = event as Record<string, unknown>;
  if (e.request === null || typeof e.request !== "object") return { error: "The EventObject must have a request." };
  const ctx = e.context as Record<string, unknown> | undefined;
  const declared = ctx?.eventType;
  const eventType: FnEventType =
    declared === "viewer-response" || (declared === undefined && typeof e.response === "object")
      ? "viewer-response"
      : "viewer-request";
  if (eventType === "viewer-response" && (e.response === null || typeof e.response !== "object")) {
    return { error: "A viewer-response EventObject must have a response." };
  }
  return { json: text, eventType };
}

export async function testFunction(code: string, eventJson: string, eventType: FnEventType): Promise<TestOutcome> {
  const engine = await loadEngine();
  const loaded = FunctionVm.load(engine, code);
  const r = loaded instanceof FunctionVm ? loaded.invoke(eventJson) : loaded;
  if (loaded instanceof FunctionVm) loaded.dispose();
  const computeUtilization = String(Math.min(100, Math.round((r.ticks * 100) / TICK_BUDGET)));
  if (!r.ok) {
    const errorMessage =
      r.failure === "compute"
        ? "The function exceeded the maximum allowed compute utilization."
        : r.failure === "memory"
          ? `The function exceeded the maximum allowed memory. ${r.message}`
          : r.message;
    return { computeUtilization, logs: r.logs, errorMessage, output: "" };
  }
  const outcome = readOutcome(JSON.parse(r.output), eventType);
  switch (outcome.kind) {
    case "invalid":
      return { computeUtilization, logs: r.logs, errorMessage: outcome.message, output: "" };
    case "request":
      return { computeUtilization, logs: r.logs, errorMessage: "", output: `{"request":${r.output}}` };
    case "response":
      return { computeUtilization, logs: r.logs, errorMessage: "", output: `{"response":${r.output}}` };
    default:
      return outcome satisfies never;
  }
}
