import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The package exports its empty module only under the react-server condition.
const serverOnlyDir = dirname(createRequire(import.meta.url).resolve("server-only"));

export default defineConfig({
  resolve: {
    alias: {
      "@": fileURLToPath(new URL("./src", import.meta.url)),
      // What Next.js resolves it to for server code: nothing. The tests run server code only.
      "server-only": join(serverOnlyDir, "empty.js"),
    },
  },
  // Integration tests create a database and hash passwords: slow on a busy machine.
  test: { include: ["src/**/*.test.ts"], testTimeout: 30_000, hookTimeout: 60_000 },
});
