import type { Db } from "../client.ts";

/** What a user may do in one channel's chat, strongest first. */
export type TChannelRole = "admin" | "owner" | "moderator" | "viewer";

const RANK: Record<TChannelRole, number> = { admin: 3, owner: 2, moderator: 1, viewer: 0 };

export function outranks(role: TChannelRole, other: TChannelRole): boolean {
  return RANK[role] > RANK[other];
}

/** A user's role in a channel (a site admin is admin everywhere); null when there is no such channel. */
export async function getChannelRole(
  db: Db,
  { channelName, userId }: { channelName: string; userId: string },
): Promise<{ channelId: string; role: TChannelRole } | null> {
  const channel = await db.channel.findUnique({
    where: { name: channelName },
    select: {
      id: true,
      ownerId: true,
      moderators: { where: { userId }, select: { userId: true } },
    },
  });
  if (!channel) return null;
  const user = await db.user.findUnique({ where: { id: userId }, select: { role: true } });
  const role: TChannelRole =
    user?.role === "admin"
      ? "admin"
      : channel.ownerId === userId
        ? "owner"
        : channel.moderators.length > 0
          ? "moderator"
          : "viewer";
  return { channelId: channel.id, role };
}

/** The usernames that hold channel op on IRC (the owner and the moderators), and the chat's rules. */
export async function listChannelOperators(db: Db, { channelName }: { channelName: string }) {
  const channel = await db.channel.findUnique({
    where: { name: channelName },
    select: {
      chatSlowSeconds: true,
      chatBlockedTerms: true,
      owner: { select: { username: true } },
      moderators: { select: { user: { select: { username: true } } } },
    },
  });
  if (!channel) return null;
  return {
    owner: channel.owner.username,
    moderators: channel.moderators.map(({ user }) => user.username),
    slowSeconds: channel.chatSlowSeconds,
    blockedTerms: channel.chatBlockedTerms,
  };
}

/** A platform user by username, for a moderation target. */
export async function findChatUser(db: Db, { username }: { username: string }) {
  return db.user.findUnique({
    where: { username: username.toLowerCase() },
    select: { id: true, username: true, role: true, suspended: true },
  });
}
