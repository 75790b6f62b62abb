import type { Db } from "../client.ts";

/**
 * A media node starting up closes the broadcasts it left open when it last stopped (a crash, a kill):
 * their publishers are gone, so their channels are offline.
 */
export async function closeOrphanedBroadcasts(db: Db, { originNode }: { originNode: string }) {
  return db.$transaction(async (tx) => {
    const open = await tx.broadcast.findMany({
      where: { originNode, endedAt: null },
      select: { id: true, channelId: true },
    });
    if (open.length === 0) return 0;
    await tx.broadcast.updateMany({
      where: { id: { in: open.map((broadcast) => broadcast.id) } },
      data: { endedAt: new Date() },
    });
    await tx.channel.updateMany({
      where: { id: { in: open.map((broadcast) => broadcast.channelId) } },
      data: { liveState: "offline" },
    });
    return open.length;
  });
}
