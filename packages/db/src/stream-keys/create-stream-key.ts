import type { Db } from "../client.ts";
import { generateStreamKey } from "./generate-stream-key.ts";
import { hashSecret } from "./hash-secret.ts";

/**
 * Issues a new stream key for a channel and revokes every earlier one in the same transaction.
 * Returns the key in full: the only time it exists outside its owner's OBS.
 */
export async function createStreamKey(db: Db, { channelId }: { channelId: string }) {
  const streamKey = generateStreamKey();
  const created = await db.$transaction(async (tx) => {
    const now = new Date();
    await tx.streamKey.updateMany({ where: { channelId, revokedAt: null }, data: { revokedAt: now } });
    return tx.streamKey.create({ data: { channelId, keyHash: hashSecret(streamKey), createdAt: now } });
  });
  return { streamKey, createdAt: created.createdAt };
}
