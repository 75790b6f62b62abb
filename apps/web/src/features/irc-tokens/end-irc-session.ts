import "server-only";
import { postToChatGateway } from "@/lib/chat-gateway-request.ts";
import { getLog } from "@/lib/logger.ts";

/**
 * Asks the chat gateway to end the IRC session holding the user's nick, so a revoked token stops
 * a client that is already logged in, not only the next login. Best effort: logged on failure.
 */
export async function endIrcSession(username: string): Promise<void> {
  try {
    const response = await postToChatGateway(`/internal/v1/irc-sessions/${username}/disconnect`);
    if (response.status !== 204) throw new Error(`the chat gateway answered ${response.status}`);
  } catch (error) {
    getLog()
      .child({ component: "irc-tokens" })
      .warn({ err: error, user: username }, "could not end the IRC session of a revoked token");
  }
}
