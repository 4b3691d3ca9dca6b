/**
 * Starts splitfront for the end-to-end tests: the worker bundled by esbuild from src/index.ts and run in workerd
 * through the Miniflare API with real (in-memory) KV and the SQLite-backed ControlPlane Durable Object, listening
 * on 127.0.0.1 with an ephemeral port. The AWS tools use `${url}/_cd` as their endpoint.
 */
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import { Miniflare } from "miniflare";

export interface RunningWorker {
  /** http://127.0.0.1:<port> */
  url: string;
  /** The control API endpoint for AWS clients. */
  endpoint: string;
  mf: Miniflare;
  /** Reads a published edge record from KV. */
  edgeRecord(host: string): Promise<unknown>;
  /**
   * The lines the worker wrote to stdout (its console.log: CloudFront Functions' log records, the access log where
   * on), for tests to assert on; also printed as they come with VERBOSE=1. stderr (console.error, workerd's own
   * errors) is always printed.
   */
  readonly stdout: readonly string[];
  stop(): Promise<void>;
}

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

let bundled: Promise<string> | null = null;
/** WebAssembly modules the bundle imports (the functions sandbox's QuickJS), by their name beside the entry. */
const wasmModules = new Map<string, string>();

/** As wrangler does: a `.wasm` import stays an import, and Miniflare gets the file as a compiled module. */
const wasmAsModule: Plugin = {
  name: "wasm-as-module",
  setup(b) {
    b.onResolve({ filter: /\.wasm$|\/wasm$/ }, async (args) => {
      if (args.pluginData === "resolving") return undefined;
      const resolved = await b.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        pluginData: "resolving",
      });
      if (resolved.errors.length > 0 || !resolved.path.endsWith(".wasm")) return undefined;
      const name = `wasm-${wasmModules.size}.wasm`;
      wasmModules.set(name, resolved.path);
      return { path: `./${name}`, external: true };
    });
  },
};

function bundle(): Promise<string> {
  bundled ??= build({
    entryPoints: [`${repoRoot}src/index.ts`],
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    external: ["cloudflare:*", "node:*"],
    plugins: [wasmAsModule],
    write: false,
  }).then((r) => {
    const out = r.outputFiles[0];
    if (out === undefined) throw new Error("esbuild produced no output");
    return out.text;
  });
  return bundled;
}

const verbose = /^(1|true|yes)$/i.test(process.env.VERBOSE ?? "");

export async function startWorker(bindings: Record<string, string> = {}): Promise<RunningWorker> {
  const stdout: string[] = [];
  const mf = new Miniflare({
    handleRuntimeStdio(out, err) {
      createInterface(out).on("line", (line) => {
        stdout.push(line);
        if (verbose) console.log(line);
      });
      createInterface(err).on("line", (line) => console.error(line));
    },
    modules: [
      { type: "ESModule", path: `${repoRoot}src/index.js`, contents: await bundle() },
      ...[...wasmModules].map(([name, file]) => ({
        type: "CompiledWasm" as const,
        path: `${repoRoot}src/${name}`,
        contents: readFileSync(file),
      })),
    ],
    compatibilityDate: "2026-04-26",
    bindings: {
      CONTROL_PATH_PREFIX: "/_cd",
      DOMAIN_SUFFIX: "splitfront.localhost",
      ACCOUNT_ID: "123456789012",
      CONTROL_ACCESS_KEYS: "test:test",
      SESSION_SECRET: "e2e-session-secret-0123456789abcdef",
      CONFIG_MEMO_MS: "0",
      KV_STALENESS_S: "0",
      SERVED_BY_HEADER: "x-served-by",
      ACCESS_LOG: "false",
      ...bindings,
    },
    kvNamespaces: ["EDGE_CONFIG"],
    durableObjects: {
      CONTROL_PLANE: { className: "ControlPlane", useSQLite: true },
      METRICS: { className: "MetricsStore", useSQLite: true },
    },
    cf: false,
    host: "127.0.0.1",
    port: 0,
  });
  const url = (await mf.ready).origin;
  return {
    url,
    endpoint: `${url}${bindings.CONTROL_PATH_PREFIX ?? "/_cd"}`,
    mf,
    stdout,
    async edgeRecord(host) {
      const kv = await mf.getKVNamespace("EDGE_CONFIG");
      return kv.get(`host:${host.toLowerCase()}`, "json");
    },
    stop: () => mf.dispose(),
  };
}
