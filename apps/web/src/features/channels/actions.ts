"use server";

import { updateChannelTitle } from "@relaycast/db";
import { revalidatePath } from "next/cache";
import { getDb } from "@/lib/db.ts";
import { requireViewer } from "../auth/session.ts";
import { ZChannelTitle } from "./schemas.ts";

export type TTitleState = { title?: string; error?: string; isSaved?: boolean };

export async function updateTitleAction(_previous: TTitleState, form: FormData): Promise<TTitleState> {
  const viewer = await requireViewer("/dashboard");
  const parsed = ZChannelTitle.safeParse(form.get("title") ?? "");
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? "Invalid title." };
  const channel = await updateChannelTitle(getDb(), { ownerId: viewer.id, title: parsed.data });
  revalidatePath(`/${channel.name}`);
  return { title: channel.title, isSaved: true };
}
