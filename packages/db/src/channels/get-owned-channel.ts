import type { Db } from "../client.ts";

/** The owner's view of their channel, for the dashboard: its active key's date, never the key. */
export async function getOwnedChannel(db: Db, { ownerId }: { ownerId: string }) {
  const channel = await db.channel.findUnique({
    where: { ownerId },
    select: {
      id: true,
      name: true,
      title: true,
      liveState: true,
      retentionDays: true,
      streamKeys: { where: { revokedAt: null }, select: { createdAt: true }, take: 1 },
    },
  });
  if (!channel) return null;
  const { streamKeys, ...rest } = channel;
  return { ...rest, activeKeyCreatedAt: streamKeys[0]?.createdAt ?? null };
}
