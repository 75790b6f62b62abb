import "server-only";
import { internalApiToken } from "@relaycast/chat/chat-token";
import { getConfig } from "@/lib/config.ts";
import { getLog } from "@/lib/logger.ts";

const TIMEOUT_MS = 3_000;

/**
 * Asks the chat gateway to end the IRC session holding the user's nick, so a revoked token stops
 * a client that is already logged in, not only the next login. Best effort: logged on failure.
 */
export async function endIrcSession(username: string): Promise<void> {
  const { chatGatewayUrl, authSecret } = getConfig();
  try {
    const response = await fetch(`${chatGatewayUrl}/internal/v1/irc-sessions/${username}/disconnect`, {
      method: "POST",
      headers: { authorization: `Bearer ${internalApiToken(authSecret)}` },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (response.status !== 204) throw new Error(`the chat gateway answered ${response.status}`);
  } catch (error) {
    getLog()
      .child({ component: "irc-tokens" })
      .warn({ err: error, user: username }, "could not end the IRC session of a revoked token");
  }
}
