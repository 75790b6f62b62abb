import { createHash } from "node:crypto";

/** The checksum Prisma records in `_prisma_migrations.checksum`: the SHA-256 of the script, as 64 hex digits. */
export function migrationChecksum(script: string | Uint8Array): string {
  return createHash("sha256").update(script).digest("hex");
}
