import { createStreamKey, type Db } from "@relaycast/db";
import { seedChannel } from "@relaycast/db/testing";

/** A user, their channel, and a valid stream key for it. */
export async function seedPublisher(db: Db) {
  const { user, channel } = await seedChannel(db);
  const { streamKey } = await createStreamKey(db, { channelId: channel.id });
  return { user, channel, streamKey };
}
