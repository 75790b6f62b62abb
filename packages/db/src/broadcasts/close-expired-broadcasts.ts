import type { Db } from "../client.ts";

/**
 * Closes the broadcasts whose lease was not renewed for `leaseMs` (their media node was killed or
 * lost the database), and takes offline every channel left showing live without an open broadcast.
 * Any media node runs it; two at once close each broadcast once (the row lock orders them).
 */
export async function closeExpiredBroadcasts(db: Db, { leaseMs }: { leaseMs: number }) {
  return db.$transaction(async (tx) => {
    const expired = await tx.$queryRaw<{ id: string; channelId: string; originNode: string | null }[]>`
      UPDATE "Broadcast" SET "endedAt" = now()
      WHERE "endedAt" IS NULL AND "lastSeenAt" < now() - make_interval(secs => ${leaseMs / 1000})
      RETURNING id, "channelId", "originNode"`;
    const { count: channelsOffline } = await tx.channel.updateMany({
      where: { liveState: { not: "offline" }, broadcasts: { none: { endedAt: null } } },
      data: { liveState: "offline" },
    });
    return { expired, channelsOffline };
  });
}
