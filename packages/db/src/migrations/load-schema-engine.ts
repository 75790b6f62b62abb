import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import * as bindings from "@prisma/schema-engine-wasm/schema_engine_bg";

/** The part of the WebAssembly global used here; this project's TS libs (ES2023, no DOM) do not declare it. */
type WasmApi = {
  instantiate(
    bytes: Uint8Array,
    imports: object,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
};
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let loading: Promise<typeof bindings> | undefined;

/**
 * Prisma's schema engine compiled to WebAssembly (@prisma/schema-engine-wasm, an internal package), loaded
 * by hand: it is built for bundlers, so Node cannot `import` its .wasm. The module holds one global
 * instance, so it is instantiated once per process.
 */
export function loadSchemaEngine(): Promise<typeof bindings> {
  loading ??= instantiate();
  return loading;
}

async function instantiate() {
  const wasmUrl = new URL(
    "schema_engine_bg.wasm",
    import.meta.resolve("@prisma/schema-engine-wasm/schema_engine_bg"),
  );
  const { instance } = await wasmApi.instantiate(await readFile(fileURLToPath(wasmUrl)), {
    "./schema_engine_bg.js": bindings,
  });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  return bindings;
}
