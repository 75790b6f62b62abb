"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { TActionFormState } from "@/components/action-form.tsx";
import { deleteVideo, resolveChatReport } from "@relaycast/db";
import { AppError, formAction, parsedOrError } from "@/lib/app-error.ts";
import { getDb } from "@/lib/db.ts";
import { banFromEveryChat, moderateChannel } from "../moderation/moderate-channel.ts";
import { stopStream, suspend, unsuspend } from "./admin-service.ts";
import { requireAdmin } from "./require-admin.ts";

const ZReason = z
  .string()
  .trim()
  .max(300)
  .transform((reason) => reason || null);
const ZAccountForm = z.object({ userId: z.string().min(1).max(64), reason: ZReason });
const ZStopForm = z.object({ channel: z.string().regex(/^[a-z0-9_]{3,25}$/), reason: ZReason });

const ZSiteBanForm = z.object({
  username: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9_]{3,25}$/, "Not a username."),
  reason: ZReason,
});
const ZVideoForm = z.object({ videoId: z.uuid() });
const ZReportForm = z.object({ reportId: z.uuid() });
const ZReportedLineForm = z.object({
  channel: z.string().regex(/^[a-z0-9_]{3,25}$/),
  messageId: z.string().min(1).max(100),
});

const fieldsOf = (form: FormData) => ({
  userId: form.get("userId") ?? "",
  channel: form.get("channel") ?? "",
  username: form.get("username") ?? "",
  videoId: form.get("videoId") ?? "",
  reportId: form.get("reportId") ?? "",
  messageId: form.get("messageId") ?? "",
  reason: form.get("reason") ?? "",
});

export async function suspendAccountAction(
  _previous: TActionFormState,
  form: FormData,
): Promise<TActionFormState> {
  return formAction(async () => {
    const admin = await requireAdmin();
    const { userId, reason } = parsedOrError(ZAccountForm.safeParse(fieldsOf(form)), "Check the form.");
    const text = await suspend(admin, userId, reason);
    revalidatePath("/admin");
    return { text };
  });
}

export async function unsuspendAccountAction(
  _previous: TActionFormState,
  form: FormData,
): Promise<TActionFormState> {
  return formAction(async () => {
    const admin = await requireAdmin();
    const { userId } = parsedOrError(ZAccountForm.safeParse(fieldsOf(form)), "Check the form.");
    const text = await unsuspend(admin, userId);
    revalidatePath("/admin");
    return { text };
  });
}

export async function stopStreamAction(
  _previous: TActionFormState,
  form: FormData,
): Promise<TActionFormState> {
  return formAction(async () => {
    const admin = await requireAdmin();
    const { channel, reason } = parsedOrError(ZStopForm.safeParse(fieldsOf(form)), "Check the form.");
    const text = await stopStream(admin, channel, reason);
    revalidatePath("/admin");
    return { text };
  });
}

export async function banEverywhereAction(
  _previous: TActionFormState,
  form: FormData,
): Promise<TActionFormState> {
  return formAction(async () => {
    const admin = await requireAdmin();
    const { username, reason } = parsedOrError(ZSiteBanForm.safeParse(fieldsOf(form)), "Check the form.");
    const text = await banFromEveryChat(admin, { type: "ban", username, reason: reason ?? undefined });
    revalidatePath("/admin");
    return { text };
  });
}

export async function liftSiteBanAction(
  _previous: TActionFormState,
  form: FormData,
): Promise<TActionFormState> {
  return formAction(async () => {
    const admin = await requireAdmin();
    const { username } = parsedOrError(ZSiteBanForm.safeParse(fieldsOf(form)), "Check the form.");
    const text = await banFromEveryChat(admin, { type: "unban", username });
    revalidatePath("/admin");
    return { text };
  });
}

/** An admin deletes any channel's video: gone from the site at once, its files removed by the archive. */
export async function deleteVideoAsAdminAction(
  _previous: TActionFormState,
  form: FormData,
): Promise<TActionFormState> {
  return formAction(async () => {
    const admin = await requireAdmin();
    const { videoId } = parsedOrError(ZVideoForm.safeParse(fieldsOf(form)), "Unknown video.");
    const editor = { userId: admin.id, username: admin.username, isAdmin: true };
    if (!(await deleteVideo(getDb(), { videoId, editor })))
      throw new AppError("CONFLICT", "That video is gone already.");
    revalidatePath("/admin");
    return { text: "The video is deleted." };
  });
}

/** An admin closes a report of any channel. */
export async function closeReportAction(
  _previous: TActionFormState,
  form: FormData,
): Promise<TActionFormState> {
  return formAction(async () => {
    const admin = await requireAdmin();
    const { reportId } = parsedOrError(ZReportForm.safeParse(fieldsOf(form)), "Unknown report.");
    if (!(await resolveChatReport(getDb(), { reportId, resolverName: admin.username }))) {
      throw new AppError("CONFLICT", "That report is closed already.");
    }
    revalidatePath("/admin");
    return { text: "Report closed." };
  });
}

/** An admin deletes a reported line, through the moderation service like any moderator. */
export async function deleteReportedLineAction(
  _previous: TActionFormState,
  form: FormData,
): Promise<TActionFormState> {
  return formAction(async () => {
    const admin = await requireAdmin();
    const { channel, messageId } = parsedOrError(
      ZReportedLineForm.safeParse(fieldsOf(form)),
      "Unknown message.",
    );
    const text = await moderateChannel(admin, channel, { type: "delete", messageId });
    revalidatePath("/admin");
    return { text };
  });
}
