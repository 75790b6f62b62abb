import type { Db } from "../client.ts";

export async function updateChannelTitle(db: Db, { ownerId, title }: { ownerId: string; title: string }) {
  return db.channel.update({ where: { ownerId }, data: { title }, select: { name: true, title: true } });
}
