import type { Prisma } from "../generated/prisma/client.ts";
import type { Db } from "../client.ts";

/** The broadcast ended (its grace period passed without the publisher coming back): the channel is offline. */
export async function closeBroadcast(
  db: Db,
  {
    broadcastId,
    peakViewers,
    stats,
  }: { broadcastId: string; peakViewers: number; stats: Prisma.InputJsonValue },
) {
  await db.$transaction(async (tx) => {
    const broadcast = await tx.broadcast.update({
      where: { id: broadcastId },
      data: { endedAt: new Date(), peakViewers, stats },
      select: { channelId: true },
    });
    await tx.channel.update({ where: { id: broadcast.channelId }, data: { liveState: "offline" } });
  });
}
