import type { Db } from "../client.ts";

/** Channels by name, a page at a time (`after` is the last name of the previous page). */
export async function listChannels(db: Db, { take, after }: { take: number; after?: string }) {
  return db.channel.findMany({
    where: after ? { name: { gt: after } } : {},
    select: { name: true, title: true, liveState: true, owner: { select: { displayUsername: true } } },
    orderBy: { name: "asc" },
    take,
  });
}
