/**
 * A DevTools protocol session with the worker's isolate, over Miniflare's inspector (the instance must be started
 * with `inspector: true`): bench/profile.ts takes CPU profiles through it, bench:instructions forces a scavenge
 * through it (bench/callgrind.ts). Only the domains a caller enables are on.
 */
import WebSocket from "ws";
import type { WorkerInstance } from "./instances.js";

export interface InspectorSession {
  call(method: string, params?: object): Promise<Record<string, unknown>>;
  /**
   * Evaluates `expression` in the worker's context and answers its value; throws what it throws. The Runtime domain
   * is on only while the context is looked up (it would report every exception the worker throws).
   */
  evaluate(expression: string): Promise<unknown>;
  close(): void;
}

export async function openInspector(inst: WorkerInstance): Promise<InspectorSession> {
  const inspector = await inst.mf.getInspectorURL();
  const targets = (await (await fetch(`http://${inspector.host}/json`)).json()) as { webSocketDebuggerUrl: string }[];
  // The user worker's isolate, not Miniflare's own (":core:").
  const wsUrl = targets.find((t) => !t.webSocketDebuggerUrl.includes(":core:"))?.webSocketDebuggerUrl;
  if (wsUrl === undefined) throw new Error(`no inspector target: ${JSON.stringify(targets)}`);
  const ws = new WebSocket(wsUrl);
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  let next = 1;
  let contextId: number | undefined;
  const session: InspectorSession = {
    call: (method, params = {}) =>
      new Promise((resolve, reject) => {
        const msgId = next++;
        const onMessage = (data: WebSocket.RawData) => {
          const msg = JSON.parse(String(data)) as {
            id?: number;
            result?: Record<string, unknown>;
            error?: { message: string };
          };
          if (msg.id !== msgId) return;
          ws.off("message", onMessage);
          if (msg.error !== undefined) reject(new Error(`${method}: ${msg.error.message}`));
          else resolve(msg.result ?? {});
        };
        ws.on("message", onMessage);
        ws.send(JSON.stringify({ id: msgId, method, params }));
      }),
    async evaluate(expression) {
      if (contextId === undefined) {
        const created = new Promise<number>((resolve) => {
          const onMessage = (data: WebSocket.RawData) => {
            const msg = JSON.parse(String(data)) as { method?: string; params?: { context?: { id: number } } };
            if (msg.method !== "Runtime.executionContextCreated" || msg.params?.context === undefined) return;
            ws.off("message", onMessage);
            resolve(msg.params.context.id);
          };
          ws.on("message", onMessage);
        });
        await session.call("Runtime.enable");
        contextId = await created;
        await session.call("Runtime.disable");
      }
      const r = await session.call("Runtime.evaluate", { expression, contextId, returnByValue: true });
      if (r.exceptionDetails !== undefined) throw new Error(`${expression}: ${JSON.stringify(r.exceptionDetails)}`);
      return (r.result as { value?: unknown } | undefined)?.value;
    },
    close: () => ws.close(),
  };
  return session;
}
