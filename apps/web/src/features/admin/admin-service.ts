import "server-only";
import { getChannelByName, stopChannelStream, suspendAccount, unsuspendAccount } from "@relaycast/db";
import { AppError } from "@/lib/app-error.ts";
import { getDb } from "@/lib/db.ts";
import { getLog } from "@/lib/logger.ts";
import type { Viewer } from "../auth/session.ts";
import { dropChatUser } from "./drop-chat-user.ts";

const adminLog = () => getLog().child({ component: "admin" });
const actorOf = (admin: Viewer) => ({ userId: admin.id, name: admin.username });

/**
 * Suspends an account, effective within a second: login and sessions end at once, its stream keys
 * and IRC tokens are revoked (ingest cuts a live stream on its next re-check, every 500 ms), and its
 * chats are closed.
 */
export async function suspend(admin: Viewer, userId: string, reason: string | null): Promise<string> {
  if (userId === admin.id) throw new AppError("CONFLICT", "You cannot suspend yourself.");
  const suspended = await suspendAccount(getDb(), { actor: actorOf(admin), userId, reason });
  if (!suspended) throw new AppError("CONFLICT", "That account is suspended already, or gone.");
  await dropChatUser({ id: userId, username: suspended.username });
  adminLog().info({ admin: admin.username, user: suspended.username }, "account suspended");
  return `${suspended.username} is suspended.`;
}

export async function unsuspend(admin: Viewer, userId: string): Promise<string> {
  if (!(await unsuspendAccount(getDb(), { actor: actorOf(admin), userId }))) {
    throw new AppError("CONFLICT", "That account is not suspended.");
  }
  adminLog().info({ admin: admin.username, userId }, "account unsuspended");
  return "The account is active again.";
}

/** Stops a live stream: its key is revoked, so the encoder is cut off and cannot come back with it. */
export async function stopStream(admin: Viewer, channelName: string, reason: string | null): Promise<string> {
  if (!(await getChannelByName(getDb(), { name: channelName }))) {
    throw new AppError("NOT_FOUND", `There is no channel named ${channelName}.`);
  }
  if (!(await stopChannelStream(getDb(), { actor: actorOf(admin), channelName, reason }))) {
    throw new AppError("CONFLICT", `${channelName} has no stream key to revoke.`);
  }
  adminLog().info({ admin: admin.username, channel: channelName }, "stream stopped");
  return `The stream of ${channelName} is stopped; its owner needs a new stream key.`;
}
