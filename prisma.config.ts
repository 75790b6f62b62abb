import { defineConfig } from "prisma/config";

// The Prisma CLI is used here for `prisma generate` only: migrations are created and applied by
// packages/db (see its src/migrations), because the CLI's native schema engine cannot be
// downloaded on an offline machine. The folder layout and _prisma_migrations table are Prisma's own.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
