import type { Db } from "../client.ts";
import { hashSecret } from "../stream-keys/hash-secret.ts";
import { generateIrcToken } from "./generate-irc-token.ts";

/**
 * Issues an IRC token for a user, stored only as its hash. Returns the token in full: the only time
 * it exists outside its owner's IRC client.
 */
export async function createIrcToken(
  db: Db,
  { userId, label = null }: { userId: string; label?: string | null },
) {
  const token = generateIrcToken();
  const created = await db.ircToken.create({
    data: { userId, label, tokenHash: hashSecret(token) },
    select: { id: true, label: true, createdAt: true },
  });
  return { ...created, token };
}
