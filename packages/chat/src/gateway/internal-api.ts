import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import { z } from "zod";
import { internalApiToken } from "../chat-token.ts";
import type { TModerationOutcome, TModerator, TSiteBanCommand } from "../moderation/moderation-service.ts";
import { ZModerationCommand, type TModerationCommand } from "../protocol.ts";

const DISCONNECT_PATH = /^\/internal\/v1\/irc-sessions\/([a-z0-9_]{3,25})\/disconnect$/;
const MODERATION_PATH = /^\/internal\/v1\/channels\/([a-z0-9_]{3,25})\/moderation$/;
const SITE_BAN_PATH = "/internal/v1/site-bans";
const DROP_USER_PATH = /^\/internal\/v1\/users\/([A-Za-z0-9_-]{1,64})\/([a-z0-9_]{3,25})\/disconnect$/;
const MAX_BODY_BYTES = 16 * 1024;

const ZUsername = z.string().regex(/^[a-z0-9_]{3,25}$/);
const ZActor = z.object({ userId: z.string().min(1).max(64), username: ZUsername });
const ZModerationRequest = z.object({ actor: ZActor, command: ZModerationCommand });
const ZSiteBanCommand = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ban"), username: ZUsername, reason: z.string().trim().max(300).optional() }),
  z.object({ type: z.literal("unban"), username: ZUsername }),
]);
const ZSiteBanRequest = z.object({ actor: ZActor, command: ZSiteBanCommand });

const STATUS_OF_REFUSAL = { FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, UNAVAILABLE: 503 } as const;

/**
 * The gateway's HTTP API for the web app, on the gateway's own port (the web proxies only
 * /socket.io/ to it), behind a bearer token derived from the shared secret:
 * - `POST /internal/v1/irc-sessions/<username>/disconnect` ends the IRC session holding that
 *   user's nick, network-wide (after an IRC token is revoked);
 * - `POST /internal/v1/users/<userId>/<username>/disconnect` ends every chat of a suspended account:
 *   its web chats on every gateway, its IRC sessions (web and IRC clients) network-wide;
 * - `POST /internal/v1/channels/<name>/moderation` with `{ actor, command }` acts through the
 *   moderation service (the dashboards and the public API use it): 200 `{ ok, text }`, or
 *   403/404/409/503 `{ ok: false, error }`;
 * - `POST /internal/v1/site-bans` with `{ actor, command: { type: "ban" | "unban", username,
 *   reason? } }` bans an account from every chat (admins), answered the same way;
 * - `GET /metrics` answers the gateway's Prometheus metrics (no token); 404 for anything else.
 */
export function createInternalApi({
  secret,
  disconnectIrcSession,
  dropUser,
  moderate,
  banSiteWide,
  metrics,
}: {
  secret: string;
  disconnectIrcSession: (username: string) => boolean;
  dropUser: (userId: string, username: string) => boolean;
  moderate: (actor: TModerator, channel: string, command: TModerationCommand) => Promise<TModerationOutcome>;
  banSiteWide: (actor: TModerator, command: TSiteBanCommand) => Promise<TModerationOutcome>;
  metrics: Registry;
}) {
  const expected = Buffer.from(`Bearer ${internalApiToken(secret)}`);
  const isAuthorized = (request: IncomingMessage) => {
    const given = Buffer.from(request.headers.authorization ?? "");
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  return (request: IncomingMessage, response: ServerResponse) => {
    if (request.method === "GET" && request.url === "/metrics") return void answerMetrics(response, metrics);
    const url = request.url ?? "";
    const isPost = request.method === "POST";
    const disconnect = isPost ? DISCONNECT_PATH.exec(url) : null;
    const moderation = isPost ? MODERATION_PATH.exec(url) : null;
    const drop = isPost ? DROP_USER_PATH.exec(url) : null;
    const isSiteBan = isPost && url === SITE_BAN_PATH;
    if (!disconnect && !moderation && !drop && !isSiteBan) return answer(response, 404, "Not found.");
    if (!isAuthorized(request)) return answer(response, 401, "Unauthorized.");
    if (drop) {
      if (!dropUser(drop[1]!, drop[2]!)) return answer(response, 503, "IRC is not connected.");
      return answer(response, 204);
    }
    if (disconnect) {
      if (!disconnectIrcSession(disconnect[1]!)) return answer(response, 503, "IRC is not connected.");
      return answer(response, 204);
    }
    if (isSiteBan) {
      return void answerModeration(request, response, ZSiteBanRequest, ({ actor, command }) =>
        banSiteWide(actor, command),
      );
    }
    const channel = moderation![1]!;
    void answerModeration(request, response, ZModerationRequest, ({ actor, command }) =>
      moderate(actor, channel, command),
    );
  };
}

/** Reads a moderation request, has it carried out, and answers its outcome with the matching status. */
async function answerModeration<TRequest>(
  request: IncomingMessage,
  response: ServerResponse,
  schema: z.ZodType<TRequest>,
  act: (request: TRequest) => Promise<TModerationOutcome>,
) {
  try {
    const parsed = schema.safeParse(await readJson(request));
    if (!parsed.success)
      return answerJson(response, 400, { ok: false, error: "Invalid moderation request." });
    const outcome = await act(parsed.data);
    if (outcome.ok) return answerJson(response, 200, outcome);
    answerJson(response, STATUS_OF_REFUSAL[outcome.code], outcome);
  } catch {
    answerJson(response, 500, { ok: false, error: "Moderation failed." });
  }
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return null;
  }
}

function answerJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
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
