import type { Db } from "../client.ts";

/** A publisher was admitted: the channel is live and a Broadcast row records it. */
export async function openBroadcast(
  db: Db,
  { channelId, originNode }: { channelId: string; originNode: string },
) {
  return db.$transaction(async (tx) => {
    await tx.channel.update({ where: { id: channelId }, data: { liveState: "live" } });
    return tx.broadcast.create({ data: { channelId, originNode }, select: { id: true, startedAt: true } });
  });
}
