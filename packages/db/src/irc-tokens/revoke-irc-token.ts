import type { Db } from "../client.ts";

/** Revokes one of the user's own tokens; false when it is not theirs, unknown, or already revoked. */
export async function revokeIrcToken(db: Db, { userId, tokenId }: { userId: string; tokenId: string }) {
  const { count } = await db.ircToken.updateMany({
    where: { id: tokenId, userId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return count > 0;
}
