import type { Db } from "../client.ts";

/** A channel's last `take` chat lines that were not deleted, oldest first. */
export async function listRecentChatMessages(
  db: Db,
  { channelName, take }: { channelName: string; take: number },
) {
  const rows = await db.chatMessage.findMany({
    where: { channel: { name: channelName }, deletedAt: null },
    orderBy: [{ sentAt: "desc" }, { id: "desc" }],
    take,
    select: {
      msgid: true,
      nick: true,
      text: true,
      replyTo: true,
      isAction: true,
      sentAt: true,
      user: { select: { username: true } },
    },
  });
  return rows.reverse().map(({ user, ...row }) => ({ ...row, username: user?.username ?? null }));
}
