import type { Db } from "../client.ts";

/** Channels that are live or reconnecting, for the directory. */
export async function listLiveChannels(db: Db) {
  return db.channel.findMany({
    where: { liveState: { in: ["live", "reconnecting"] } },
    select: { name: true, title: true, liveState: true, owner: { select: { displayUsername: true } } },
    orderBy: { updatedAt: "desc" },
  });
}
