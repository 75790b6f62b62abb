import type { Db } from "../client.ts";

/** A stored line of a channel that was not deleted: its author's username (null for a guest) and text. */
export async function findChatMessage(
  db: Db,
  { channelName, msgid }: { channelName: string; msgid: string },
) {
  const row = await db.chatMessage.findFirst({
    where: { msgid, deletedAt: null, channel: { name: channelName } },
    select: { text: true, user: { select: { username: true } } },
  });
  return row ? { username: row.user?.username ?? null, text: row.text } : null;
}
