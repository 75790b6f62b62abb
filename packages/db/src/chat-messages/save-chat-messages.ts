import type { Db } from "../client.ts";

export type TChatMessageRow = {
  msgid: string;
  channelName: string;
  /** The platform username the nick stands for, or null for a guest. */
  username: string | null;
  nick: string;
  text: string;
  replyTo: string | null;
  isAction: boolean;
  sentAt: Date;
  /** Set when a moderator deleted the line before it was saved. */
  deletedAt?: Date | null;
};

/**
 * Persists chat lines in one statement. Every gateway in a cluster sees every line and may save
 * it: the msgid is unique network-wide, so the second insert of a line is skipped. Lines for a
 * channel or user that does not exist are dropped (a user's name is resolved here, not trusted).
 */
export async function saveChatMessages(db: Db, rows: readonly TChatMessageRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const channelNames = [...new Set(rows.map((row) => row.channelName))];
  const usernames = [...new Set(rows.flatMap((row) => (row.username ? [row.username] : [])))];
  const [channels, users] = await Promise.all([
    db.channel.findMany({ where: { name: { in: channelNames } }, select: { id: true, name: true } }),
    usernames.length
      ? db.user.findMany({ where: { username: { in: usernames } }, select: { id: true, username: true } })
      : [],
  ]);
  const channelIds = new Map(channels.map((channel) => [channel.name, channel.id]));
  const userIds = new Map(users.map((user) => [user.username, user.id]));
  const data = rows.flatMap((row) => {
    const channelId = channelIds.get(row.channelName);
    if (!channelId) return [];
    return [
      {
        msgid: row.msgid,
        channelId,
        userId: (row.username && userIds.get(row.username)) ?? null,
        nick: row.nick,
        text: row.text,
        replyTo: row.replyTo,
        isAction: row.isAction,
        sentAt: row.sentAt,
        deletedAt: row.deletedAt ?? null,
      },
    ];
  });
  const { count } = await db.chatMessage.createMany({ data, skipDuplicates: true });
  return count;
}
