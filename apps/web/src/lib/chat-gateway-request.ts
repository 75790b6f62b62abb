import "server-only";
import { internalApiToken } from "@relaycast/chat/chat-token";
import { getConfig } from "./config.ts";

const TIMEOUT_MS = 5_000;

/**
 * A POST to a chat gateway's internal API, with its bearer token; a JSON body when given. Any
 * gateway acts network-wide: the first that answers takes it.
 */
export async function postToChatGateway(path: string, body?: object): Promise<Response> {
  const { chatGatewayUrls, authSecret } = getConfig();
  let lastError: unknown;
  for (const gatewayUrl of chatGatewayUrls) {
    try {
      return await fetch(`${gatewayUrl}${path}`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${internalApiToken(authSecret)}`,
          ...(body && { "content-type": "application/json" }),
        },
        body: body && JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
