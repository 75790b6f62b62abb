import type { Db } from "../client.ts";
import { STREAM_KEY_PATTERN } from "./generate-stream-key.ts";
import { hashSecret } from "./hash-secret.ts";

/**
 * The ingest lookup: the channel a stream key publishes to, or null when the key is malformed,
 * unknown, revoked, or its owner is suspended. One unique-index lookup on the key's hash.
 */
export async function findChannelByStreamKey(db: Db, { streamKey }: { streamKey: string }) {
  if (!STREAM_KEY_PATTERN.test(streamKey)) return null;
  const key = await db.streamKey.findUnique({
    where: { keyHash: hashSecret(streamKey) },
    select: {
      revokedAt: true,
      channel: { select: { id: true, name: true, owner: { select: { suspended: true } } } },
    },
  });
  if (!key || key.revokedAt || key.channel.owner.suspended) return null;
  return { id: key.channel.id, name: key.channel.name };
}
