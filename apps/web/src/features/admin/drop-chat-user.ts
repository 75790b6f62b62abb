import "server-only";
import { internalApiToken } from "@relaycast/chat/chat-token";
import { getConfig } from "@/lib/config.ts";
import { getLog } from "@/lib/logger.ts";

const TIMEOUT_MS = 3_000;

/**
 * Asks the chat gateway to close a suspended account's chats: its web chats on every gateway and
 * its IRC sessions network-wide. Best effort: logged on failure (its tokens are revoked already,
 * so it cannot come back).
 */
export async function dropChatUser(user: { id: string; username: string }): Promise<void> {
  const { chatGatewayUrl, authSecret } = getConfig();
  try {
    const response = await fetch(
      `${chatGatewayUrl}/internal/v1/users/${user.id}/${user.username}/disconnect`,
      {
        method: "POST",
        headers: { authorization: `Bearer ${internalApiToken(authSecret)}` },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      },
    );
    if (response.status !== 204) throw new Error(`the chat gateway answered ${response.status}`);
  } catch (error) {
    getLog()
      .child({ component: "admin" })
      .warn({ err: error, user: user.username }, "could not close the chats of a suspended account");
  }
}
