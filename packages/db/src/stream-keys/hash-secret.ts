import { createHash } from "node:crypto";

/**
 * SHA-256, hex. Stream keys and IRC tokens carry ≥128 bits of randomness, so a fast unsalted hash is
 * safe and lets the ingest path find a key with one unique-index lookup.
 */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}
