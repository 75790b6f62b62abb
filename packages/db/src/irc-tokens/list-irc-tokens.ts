import type { Db } from "../client.ts";

/** A user's tokens that still work, newest first; never their hashes. */
export async function listIrcTokens(db: Db, { userId }: { userId: string }) {
  return db.ircToken.findMany({
    where: { userId, revokedAt: null },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, label: true, createdAt: true, lastUsedAt: true },
  });
}
