/**
 * The QuickJS build itself: imported only through engine.ts's dynamic import, so an isolate that never runs a
 * function never evaluates this module's dependencies (the bundler defers a dynamically imported module's code).
 */
import releaseSync from "@jitl/quickjs-wasmfile-release-sync";
import wasmModule from "@jitl/quickjs-wasmfile-release-sync/wasm";
import { newQuickJSWASMModuleFromVariant, newVariant, type QuickJSWASMModule } from "quickjs-emscripten-core";

export const instantiate = (): Promise<QuickJSWASMModule> =>
  newQuickJSWASMModuleFromVariant(newVariant(releaseSync, { wasmModule }));
