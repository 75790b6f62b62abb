"use server";

import { deleteVideo, renameVideo, setChannelRetention } from "@relaycast/db";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { AppError, formAction, parsedOrError } from "@/lib/app-error.ts";
import { getDb } from "@/lib/db.ts";
import { requireViewer } from "../auth/session.ts";
import { ZRetentionDays, ZVideoId, ZVideoTitle } from "./schemas.ts";

export type TRetentionState = { retentionDays?: number | null; error?: string; isSaved?: boolean };

/** The owner's retention: how many days the channel's videos are kept (empty: forever). */
export async function setRetentionAction(
  _previous: TRetentionState,
  form: FormData,
): Promise<TRetentionState> {
  const viewer = await requireViewer("/dashboard");
  return formAction(async () => {
    const retentionDays = parsedOrError(
      ZRetentionDays.safeParse(form.get("retentionDays") ?? ""),
      "Invalid number of days.",
    );
    const channel = await setChannelRetention(getDb(), { ownerId: viewer.id, retentionDays });
    revalidatePath(`/${channel.name}/videos`);
    return { retentionDays: channel.retentionDays, isSaved: true };
  });
}

export type TVideoTitleState = { title?: string; error?: string; isSaved?: boolean };

/** The owner renames one of their videos. */
export async function renameVideoAction(
  _previous: TVideoTitleState,
  form: FormData,
): Promise<TVideoTitleState> {
  const videoId = ZVideoId.parse(form.get("videoId"));
  const viewer = await requireViewer(`/videos/${videoId}`);
  return formAction(async () => {
    const title = parsedOrError(ZVideoTitle.safeParse(form.get("title") ?? ""), "Invalid title.");
    if (!(await renameVideo(getDb(), { videoId, ownerId: viewer.id, title })))
      throw new AppError("FORBIDDEN", "Only the channel's owner can rename a finished video.");
    revalidatePath(`/videos/${videoId}`);
    return { title, isSaved: true };
  });
}

/** The owner, or an admin, deletes a video: it is gone at once; its files are removed by the media node. */
export async function deleteVideoAction(form: FormData): Promise<void> {
  const videoId = ZVideoId.parse(form.get("videoId"));
  const channel = String(form.get("channel") ?? "");
  const viewer = await requireViewer(`/videos/${videoId}`);
  const isDeleted = await deleteVideo(getDb(), {
    videoId,
    editor: { userId: viewer.id, username: viewer.username, isAdmin: viewer.role === "admin" },
  });
  // Someone else's video (or one already gone) stays as it is: back to its page.
  if (!isDeleted) redirect(`/videos/${videoId}`);
  revalidatePath(`/${channel}/videos`);
  redirect(`/${encodeURIComponent(channel)}/videos`);
}
