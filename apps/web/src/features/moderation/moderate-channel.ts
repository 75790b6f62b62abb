import "server-only";
import type { TModerationCommandInput } from "@relaycast/chat/protocol";
import { AppError, type TAppErrorCode } from "@/lib/app-error.ts";
import { postToChatGateway } from "@/lib/chat-gateway-request.ts";
import type { Viewer } from "../auth/session.ts";

const CODE_OF_STATUS: Record<number, TAppErrorCode> = {
  400: "INVALID_INPUT",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
};

/**
 * A moderation act from the web (dashboard, API), carried out by the chat gateway's moderation
 * service: the one path every act takes, whichever way it comes. Resolves to what was done; a
 * refusal is an AppError with the service's reason.
 */
export function moderateChannel(
  actor: Viewer,
  channel: string,
  command: TModerationCommandInput,
): Promise<string> {
  return askModerationService(
    `/internal/v1/channels/${encodeURIComponent(channel)}/moderation`,
    actor,
    command,
  );
}

/** An admin bans an account from every chat of the site, or lifts it. */
export function banFromEveryChat(
  admin: Viewer,
  command: { type: "ban"; username: string; reason?: string } | { type: "unban"; username: string },
): Promise<string> {
  return askModerationService("/internal/v1/site-bans", admin, command);
}

async function askModerationService(path: string, actor: Viewer, command: object): Promise<string> {
  let response: Response;
  try {
    response = await postToChatGateway(path, {
      actor: { userId: actor.id, username: actor.username },
      command,
    });
  } catch {
    throw new AppError("UNAVAILABLE", "Chat is unavailable right now. Try again shortly.");
  }
  const body = (await response.json().catch(() => null)) as { text?: string; error?: string } | null;
  if (response.ok) return body?.text ?? "Done.";
  throw new AppError(
    CODE_OF_STATUS[response.status] ?? "UNAVAILABLE",
    body?.error ?? "Chat is unavailable right now. Try again shortly.",
  );
}
