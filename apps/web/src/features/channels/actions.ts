"use server";

import { updateChannelTitle } from "@relaycast/db";
import { revalidatePath } from "next/cache";
import { formAction, parsedOrError } from "@/lib/app-error.ts";
import { getDb } from "@/lib/db.ts";
import { requireViewer } from "../auth/session.ts";
import { ZChannelTitle } from "./schemas.ts";

export type TTitleState = { title?: string; error?: string; isSaved?: boolean };

export async function updateTitleAction(_previous: TTitleState, form: FormData): Promise<TTitleState> {
  const viewer = await requireViewer("/dashboard");
  return formAction(async () => {
    const title = parsedOrError(ZChannelTitle.safeParse(form.get("title") ?? ""), "Invalid title.");
    const channel = await updateChannelTitle(getDb(), { ownerId: viewer.id, title });
    revalidatePath(`/${channel.name}`);
    return { title: channel.title, isSaved: true };
  });
}
