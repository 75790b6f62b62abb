import { createHash } from "node:crypto";

/**
 * Whether a migration script still matches the checksum recorded when it was applied, compared as Prisma
 * compares them (schema-engine's checksum.rs): regardless of CRLF/LF line endings, and accepting the
 * un-padded hex that old Prisma versions wrote.
 */
export function matchesMigrationChecksum(script: string, checksum: string): boolean {
  const variants = [script, script.replaceAll("\r\n", "\n"), script.replaceAll("\n", "\r\n")];
  return variants.some((variant) => {
    const digest = createHash("sha256").update(variant).digest();
    const hex =
      checksum.length === 64
        ? digest.toString("hex")
        : Array.from(digest, (byte) => byte.toString(16)).join("");
    return hex === checksum;
  });
}
