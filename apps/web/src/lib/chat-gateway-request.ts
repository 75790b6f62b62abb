import "server-only";
import { internalApiToken } from "@relaycast/chat/chat-token";
import { getConfig } from "./config.ts";

const TIMEOUT_MS = 5_000;

/** A POST to the chat gateway's internal API, with its bearer token; a JSON body when given. */
export function postToChatGateway(path: string, body?: object): Promise<Response> {
  const { chatGatewayUrl, authSecret } = getConfig();
  return fetch(`${chatGatewayUrl}${path}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${internalApiToken(authSecret)}`,
      ...(body && { "content-type": "application/json" }),
    },
    body: body && JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
}
