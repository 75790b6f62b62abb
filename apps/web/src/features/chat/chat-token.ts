import "server-only";
import { signChatToken } from "@relaycast/chat/chat-token";
import { getConfig } from "@/lib/config.ts";
import { getViewer } from "../auth/session.ts";

export type TIssuedChatToken = { token: string; username: string };

/** A chat token for this request's signed-in user, signed with the secret the gateway shares. */
export async function issueChatToken(): Promise<TIssuedChatToken | "anonymous" | "suspended"> {
  const viewer = await getViewer();
  if (!viewer) return "anonymous";
  if (viewer.isSuspended) return "suspended";
  const token = signChatToken({ userId: viewer.id, username: viewer.username }, getConfig().authSecret);
  return { token, username: viewer.username };
}
