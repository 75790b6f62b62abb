import type { Db } from "../client.ts";
import { BROADCAST_LEASE_MS } from "./broadcast-lease-ms.ts";

/**
 * A publisher was admitted: the channel is live and a Broadcast row records it. When the channel's
 * broadcast is still open with a fresh lease from another media node (its origin died or lost the
 * channel, and the encoder reconnected here within the grace period), this node takes that row over:
 * one broadcast, whichever origins carried it. The caller holds the channel's cluster claim, so no
 * other node is still publishing it.
 */
export async function openBroadcast(
  db: Db,
  { channelId, originNode }: { channelId: string; originNode: string },
): Promise<{ id: string; startedAt: Date; isTakenOver: boolean }> {
  return db.$transaction(async (tx) => {
    await tx.channel.update({ where: { id: channelId }, data: { liveState: "live" } });
    const [takenOver] = await tx.$queryRaw<{ id: string; startedAt: Date }[]>`
      UPDATE "Broadcast" SET "originNode" = ${originNode}, "lastSeenAt" = now()
      WHERE id = (
        SELECT id FROM "Broadcast"
        WHERE "channelId" = ${channelId} AND "endedAt" IS NULL
          AND "lastSeenAt" >= now() - make_interval(secs => ${BROADCAST_LEASE_MS / 1000})
        ORDER BY "startedAt" DESC LIMIT 1
        FOR UPDATE
      )
      RETURNING id, "startedAt"`;
    if (takenOver) return { ...takenOver, isTakenOver: true };
    const created = await tx.broadcast.create({
      data: { channelId, originNode },
      select: { id: true, startedAt: true },
    });
    return { ...created, isTakenOver: false };
  });
}
