"use server";

import { ZModerationCommand } from "@relaycast/chat/protocol";
import { revalidatePath } from "next/cache";
import type { TActionFormState } from "@/components/action-form.tsx";
import { getOwnedChannel, resolveChatReport } from "@relaycast/db";
import { z } from "zod";
import { AppError, formAction, parsedOrError } from "@/lib/app-error.ts";
import { getDb } from "@/lib/db.ts";
import { requireViewer } from "../auth/session.ts";
import { moderateChannel } from "./moderate-channel.ts";

/**
 * A moderation act from the owner's dashboard on their own channel (appoint or remove a moderator,
 * lift a ban or timeout, set the slow mode or the blocked terms, delete a reported line), through
 * the same service as the chat's.
 */
export async function moderateOwnChannelAction(
  _previous: TActionFormState,
  form: FormData,
): Promise<TActionFormState> {
  const viewer = await requireViewer("/dashboard");
  return formAction(async () => {
    const command = parsedOrError(ZModerationCommand.safeParse(commandOf(form)), "Check the form.");
    const text = await moderateChannel(viewer, viewer.username, command);
    revalidatePath("/dashboard");
    return { text };
  });
}

/** The form's fields as a moderation command: `type`, and what it needs (`username`, `seconds`, `messageId`, `terms`). */
function commandOf(form: FormData) {
  const type = String(form.get("type") ?? "");
  const username = String(form.get("username") ?? "").trim();
  if (type === "delete") return { type, messageId: String(form.get("messageId") ?? "") };
  if (type === "terms") {
    const terms = String(form.get("terms") ?? "").split("\n");
    return { type, terms: terms.map((term) => term.trim()).filter(Boolean) };
  }
  if (type === "slow") {
    const seconds = Number(form.get("seconds") ?? 0);
    return seconds > 0 ? { type: "slow", seconds } : { type: "slowoff" };
  }
  return { type, username };
}

/** The owner closes a report on their channel (they looked at it). */
export async function dismissReportAction(
  _previous: TActionFormState,
  form: FormData,
): Promise<TActionFormState> {
  const viewer = await requireViewer("/dashboard");
  return formAction(async () => {
    const channel = await getOwnedChannel(getDb(), { ownerId: viewer.id });
    const reportId = parsedOrError(z.uuid().safeParse(form.get("reportId")), "Unknown report.");
    const isResolved =
      channel &&
      (await resolveChatReport(getDb(), { reportId, resolverName: viewer.username, channelId: channel.id }));
    if (!isResolved) throw new AppError("CONFLICT", "That report is closed already.");
    revalidatePath("/dashboard");
    return { text: "Report closed." };
  });
}
