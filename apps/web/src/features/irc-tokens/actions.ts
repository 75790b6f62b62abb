"use server";

import { createIrcToken, listIrcTokens, revokeIrcToken } from "@relaycast/db";
import { revalidatePath } from "next/cache";
import { AppError, formAction, parsedOrError } from "@/lib/app-error.ts";
import { getDb } from "@/lib/db.ts";
import { getLog } from "@/lib/logger.ts";
import { requireViewer } from "../auth/session.ts";
import { endIrcSession } from "./end-irc-session.ts";
import { MAX_ACTIVE_IRC_TOKENS, ZIrcTokenId, ZIrcTokenLabel } from "./schemas.ts";

const ircLog = () => getLog().child({ component: "irc-tokens" });

export type TIssueIrcTokenState = {
  issued?: { id: string; token: string; label: string | null };
  error?: string;
};
export type TRevokeIrcTokenState = { error?: string };

/** Issues an IRC token and returns it in full: shown to its owner this once, then only its label. */
export async function issueIrcTokenAction(
  _previous: TIssueIrcTokenState,
  form: FormData,
): Promise<TIssueIrcTokenState> {
  const viewer = await requireViewer("/dashboard");
  return formAction(async () => {
    if (viewer.isSuspended) throw new AppError("FORBIDDEN", "Your account is suspended.");
    const label = parsedOrError(ZIrcTokenLabel.safeParse(form.get("label") ?? ""), "Invalid label.");
    const active = await listIrcTokens(getDb(), { userId: viewer.id });
    if (active.length >= MAX_ACTIVE_IRC_TOKENS) {
      throw new AppError(
        "CONFLICT",
        `You have ${MAX_ACTIVE_IRC_TOKENS} IRC tokens. Revoke one you no longer use first.`,
      );
    }
    const issued = await createIrcToken(getDb(), { userId: viewer.id, label });
    ircLog().info({ user: viewer.username, tokenId: issued.id }, "irc token issued");
    revalidatePath("/dashboard");
    return { issued: { id: issued.id, token: issued.token, label: issued.label } };
  });
}

/** Revokes one of the viewer's own tokens: it stops logging in, and an IRC session open now is ended. */
export async function revokeIrcTokenAction(
  _previous: TRevokeIrcTokenState,
  form: FormData,
): Promise<TRevokeIrcTokenState> {
  const viewer = await requireViewer("/dashboard");
  return formAction(async () => {
    const tokenId = parsedOrError(ZIrcTokenId.safeParse(form.get("tokenId")), "Unknown token.");
    const isRevoked = await revokeIrcToken(getDb(), { userId: viewer.id, tokenId });
    revalidatePath("/dashboard");
    if (!isRevoked) throw new AppError("CONFLICT", "That token was already revoked.");
    ircLog().info({ user: viewer.username, tokenId }, "irc token revoked");
    await endIrcSession(viewer.username);
    return {};
  });
}
