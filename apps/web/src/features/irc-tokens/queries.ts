import "server-only";
import { listIrcTokens } from "@relaycast/db";
import { getDb } from "@/lib/db.ts";

export type TIrcTokenRow = { id: string; label: string | null; createdAt: string; lastUsedAt: string | null };

/** The user's working IRC tokens for the dashboard: label and dates, never a value or hash. */
export async function getIrcTokenRows({ userId }: { userId: string }): Promise<TIrcTokenRow[]> {
  const tokens = await listIrcTokens(getDb(), { userId });
  return tokens.map((token) => ({
    id: token.id,
    label: token.label,
    createdAt: token.createdAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
  }));
}
