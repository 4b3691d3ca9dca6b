/**
 * splitfront's real entry with its storage bindings wrapped in counters, for the "KV reads and Durable Object
 * calls per request" figure: the handler is the deployed one, only env.EDGE_CONFIG and the Durable Object
 * namespaces are proxies that count method calls. GET /__bench/counts reads the counters, POST /__bench/counts resets them.
 * Plain JS so tsconfig.node.json (Node types) does not type-check the workerd sources through it.
 */
import app, { ControlPlane, MetricsStore } from "../../src/index.ts";

const counts = { requests: 0, kvReads: 0, kvWrites: 0, doCalls: 0 };
const KV_READS = new Set(["get", "getWithMetadata", "list"]);
const KV_WRITES = new Set(["put", "delete"]);

function countingKv(kv) {
  return new Proxy(kv, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== "function") return value;
      return (...args) => {
        if (KV_READS.has(prop)) counts.kvReads++;
        if (KV_WRITES.has(prop)) counts.kvWrites++;
        return value.apply(target, args);
      };
    },
  });
}

// Every use of a Durable Object goes through the namespace (idFromName/get/getByName...): count those calls.
function countingNamespace(ns) {
  return new Proxy(ns, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== "function") return value;
      return (...args) => {
        counts.doCalls++;
        return value.apply(target, args);
      };
    },
  });
}

// One wrapped env per real env object: the app memoises settings and config per env identity.
const wrapped = new WeakMap();
function wrap(env) {
  let w = wrapped.get(env);
  if (w === undefined) {
    w = {
      ...env,
      EDGE_CONFIG: countingKv(env.EDGE_CONFIG),
      CONTROL_PLANE: countingNamespace(env.CONTROL_PLANE),
      // Telemetry's flushes (at most one per METRICS_FLUSH_S per isolate and shard) count as Durable Object calls.
      METRICS: countingNamespace(env.METRICS),
    };
    wrapped.set(env, w);
  }
  return w;
}

export default {
  fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/__bench/counts") {
      if (request.method === "POST") {
        for (const k of Object.keys(counts)) counts[k] = 0;
      }
      return Response.json(counts);
    }
    counts.requests++;
    return app.fetch(request, wrap(env), ctx);
  },
};

export { ControlPlane, MetricsStore };
