"use server";

import { createStreamKey, getOwnedChannel } from "@relaycast/db";
import { AppError, formAction } from "@/lib/app-error.ts";
import { getDb } from "@/lib/db.ts";
import { getLog } from "@/lib/logger.ts";
import { requireViewer } from "../auth/session.ts";
import { clearNewStreamKeyFlash } from "./new-stream-key-flash.ts";

export type TRegenerateState = { streamKey?: string; error?: string };

/** Revokes the channel's key at once and returns the new one, shown to its owner only. */
export async function regenerateStreamKeyAction(_previous: TRegenerateState): Promise<TRegenerateState> {
  const viewer = await requireViewer("/dashboard");
  return formAction(async () => {
    const channel = await getOwnedChannel(getDb(), { ownerId: viewer.id });
    if (!channel) throw new AppError("NOT_FOUND", "You have no channel.");
    const { streamKey } = await createStreamKey(getDb(), { channelId: channel.id });
    getLog().child({ component: "stream-keys" }).info({ channel: channel.name }, "stream key regenerated");
    return { streamKey };
  });
}

/** Called once the dashboard has shown a just-issued key. */
export async function dismissNewStreamKeyAction(): Promise<void> {
  await clearNewStreamKeyFlash();
}
