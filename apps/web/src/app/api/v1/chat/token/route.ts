import { issueChatToken } from "@/features/chat/chat-token.ts";
import { apiRoute, AppError } from "@/lib/app-error.ts";

/**
 * GET /api/v1/chat/token: a short-lived token that lets the chat panel speak as the signed-in user
 * on the chat gateway. Fetched again before every (re)connect.
 */
export const GET = apiRoute(async () => {
  const issued = await issueChatToken();
  if (issued === "anonymous") throw new AppError("UNAUTHORIZED", "Sign in to chat.");
  if (issued === "suspended") throw new AppError("FORBIDDEN", "Your account is suspended.");
  return Response.json(issued, { headers: { "cache-control": "no-store" } });
});
