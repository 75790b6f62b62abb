import type { Db } from "../client.ts";

/** The public view of a channel: nothing in it is secret. */
export async function getChannelByName(db: Db, { name }: { name: string }) {
  return db.channel.findUnique({
    where: { name: name.toLowerCase() },
    select: {
      id: true,
      name: true,
      title: true,
      liveState: true,
      createdAt: true,
      owner: { select: { displayUsername: true } },
    },
  });
}
