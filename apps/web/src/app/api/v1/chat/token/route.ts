import { issueChatToken } from "@/features/chat/chat-token.ts";
import { apiError } from "@/lib/api-error.ts";

/**
 * GET /api/v1/chat/token: a short-lived token that lets the chat panel speak as the signed-in user
 * on the chat gateway. Fetched again before every (re)connect.
 */
export async function GET() {
  const issued = await issueChatToken();
  if (issued === "anonymous") return apiError("UNAUTHORIZED", "Sign in to chat.");
  if (issued === "suspended") return apiError("FORBIDDEN", "Your account is suspended.");
  return Response.json(issued, { headers: { "cache-control": "no-store" } });
}
