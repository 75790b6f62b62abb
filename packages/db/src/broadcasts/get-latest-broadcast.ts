import type { Db } from "../client.ts";

/** A channel's most recent finished broadcast, for its offline page. */
export async function getLatestBroadcast(db: Db, { channelName }: { channelName: string }) {
  return db.broadcast.findFirst({
    where: { channel: { name: channelName }, endedAt: { not: null } },
    orderBy: { startedAt: "desc" },
    select: { startedAt: true, endedAt: true, peakViewers: true },
  });
}
