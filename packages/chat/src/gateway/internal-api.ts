import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import { internalApiToken } from "../chat-token.ts";

const DISCONNECT_PATH = /^\/internal\/v1\/irc-sessions\/([a-z0-9_]{3,25})\/disconnect$/;

/**
 * The gateway's HTTP API for the web app, on the gateway's own port (the web proxies only
 * /socket.io/ to it). `POST /internal/v1/irc-sessions/<username>/disconnect` ends the IRC session
 * holding that user's nick, network-wide (after an IRC token is revoked); `GET /metrics` answers
 * the gateway's Prometheus metrics; 404 for anything else.
 */
export function createInternalApi({
  secret,
  disconnectIrcSession,
  metrics,
}: {
  secret: string;
  disconnectIrcSession: (username: string) => boolean;
  metrics: Registry;
}) {
  const expected = Buffer.from(`Bearer ${internalApiToken(secret)}`);
  return (request: IncomingMessage, response: ServerResponse) => {
    if (request.method === "GET" && request.url === "/metrics") return void answerMetrics(response, metrics);
    const match = request.method === "POST" ? DISCONNECT_PATH.exec(request.url ?? "") : null;
    if (!match) return answer(response, 404, "Not found.");
    const given = Buffer.from(request.headers.authorization ?? "");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return answer(response, 401, "Unauthorized.");
    }
    if (!disconnectIrcSession(match[1]!)) return answer(response, 503, "IRC is not connected.");
    answer(response, 204);
  };
}

function answer(response: ServerResponse, status: number, text?: string) {
  response.writeHead(status, text ? { "content-type": "text/plain; charset=utf-8" } : {});
  response.end(text ? `${text}\n` : undefined);
}

async function answerMetrics(response: ServerResponse, metrics: Registry) {
  try {
    const text = await metrics.metrics();
    response.writeHead(200, { "content-type": metrics.contentType });
    response.end(text);
  } catch {
    answer(response, 500, "Metrics are unavailable.");
  }
}
