// The QuickJS build, imported as a compiled WebAssembly module (wrangler's and the vitest pool's CompiledWasm rule).
declare module "@jitl/quickjs-wasmfile-release-sync/wasm" {
  const module: WebAssembly.Module;
  export default module;
}
