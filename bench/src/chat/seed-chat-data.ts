import { randomBytes } from "node:crypto";
import { createIrcToken, type Db } from "@relaycast/db";

export type TBenchUser = { id: string; username: string };

export type ChatSeed = {
  /** The web chatters' accounts, in chatter order. */
  chatters: TBenchUser[];
  /** The IRC clients' accounts, each with an IRC token. */
  ircUsers: (TBenchUser & { token: string })[];
  /** Channel names; channel i is owned by chatter i (a channel's name is its owner's username). */
  channels: string[];
};

/**
 * Users and channels written directly, like seedChannel() of @relaycast/db/testing but in bulk:
 * `chatters + ircUsers` users (`bench_0000`, …), the first `channels` of them owning a channel.
 */
export async function seedChatData(
  db: Db,
  counts: { chatters: number; ircUsers: number; channels: number },
): Promise<ChatSeed> {
  const users = Array.from({ length: counts.chatters + counts.ircUsers }, (_, index) => {
    const username = `bench_${String(index).padStart(4, "0")}`;
    return { id: randomBytes(12).toString("hex"), username };
  });
  await db.user.createMany({
    data: users.map(({ id, username }) => ({
      id,
      name: username,
      username,
      email: `${username}@example.com`,
    })),
  });
  const owners = users.slice(0, counts.channels);
  await db.channel.createMany({ data: owners.map((owner) => ({ ownerId: owner.id, name: owner.username })) });
  const ircUsers = await Promise.all(
    users.slice(counts.chatters).map(async (user) => {
      const { token } = await createIrcToken(db, { userId: user.id, label: "bench" });
      return { ...user, token };
    }),
  );
  return {
    chatters: users.slice(0, counts.chatters),
    ircUsers,
    channels: owners.map((owner) => owner.username),
  };
}
