import type { Db } from "../client.ts";
import { STREAM_KEY_PATTERN } from "./generate-stream-key.ts";
import { hashSecret } from "./hash-secret.ts";

/**
 * The ingest re-check of every live publisher at once: for each key, its channel, or null when the
 * key is malformed, unknown, revoked, or its owner is suspended. One query however many keys.
 */
export async function findChannelsByStreamKeys(
  db: Db,
  { streamKeys }: { streamKeys: string[] },
): Promise<Map<string, { id: string; name: string } | null>> {
  const hashes = new Map(
    streamKeys.filter((key) => STREAM_KEY_PATTERN.test(key)).map((key) => [hashSecret(key), key]),
  );
  const rows = hashes.size
    ? await db.streamKey.findMany({
        where: {
          keyHash: { in: [...hashes.keys()] },
          revokedAt: null,
          channel: { owner: { suspended: false } },
        },
        select: { keyHash: true, channel: { select: { id: true, name: true } } },
      })
    : [];
  const found = new Map<string, { id: string; name: string } | null>(streamKeys.map((key) => [key, null]));
  for (const row of rows) found.set(hashes.get(row.keyHash)!, row.channel);
  return found;
}
