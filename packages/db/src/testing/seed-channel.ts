import { randomBytes } from "node:crypto";
import type { Db } from "../client.ts";

/** A user with their channel, written directly (the web app's sign-up is tested end to end). */
export async function seedChannel(db: Db, { username = `u_${randomBytes(4).toString("hex")}` } = {}) {
  const user = await db.user.create({
    data: { id: randomBytes(12).toString("hex"), name: username, username, email: `${username}@example.com` },
  });
  const channel = await db.channel.create({ data: { ownerId: user.id, name: username } });
  return { user, channel };
}
