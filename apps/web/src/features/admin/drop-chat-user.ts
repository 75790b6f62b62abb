import "server-only";
import { postToChatGateway } from "@/lib/chat-gateway-request.ts";
import { getLog } from "@/lib/logger.ts";

/**
 * Asks the chat gateway to close a suspended account's chats: its web chats on every gateway and
 * its IRC sessions network-wide. Best effort: logged on failure (its tokens are revoked already,
 * so it cannot come back).
 */
export async function dropChatUser(user: { id: string; username: string }): Promise<void> {
  try {
    const response = await postToChatGateway(`/internal/v1/users/${user.id}/${user.username}/disconnect`);
    if (response.status !== 204) throw new Error(`the chat gateway answered ${response.status}`);
  } catch (error) {
    getLog()
      .child({ component: "admin" })
      .warn({ err: error, user: user.username }, "could not close the chats of a suspended account");
  }
}
