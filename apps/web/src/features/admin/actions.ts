"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formAction, parsedOrError } from "@/lib/app-error.ts";
import { stopStream, suspend, unsuspend } from "./admin-service.ts";
import { requireAdmin } from "./require-admin.ts";

export type TAdminActionState = { text?: string; error?: string };

const ZReason = z
  .string()
  .trim()
  .max(300)
  .transform((reason) => reason || null);
const ZAccountForm = z.object({ userId: z.string().min(1).max(64), reason: ZReason });
const ZStopForm = z.object({ channel: z.string().regex(/^[a-z0-9_]{3,25}$/), reason: ZReason });

const fieldsOf = (form: FormData) => ({
  userId: form.get("userId") ?? "",
  channel: form.get("channel") ?? "",
  reason: form.get("reason") ?? "",
});

export async function suspendAccountAction(
  _previous: TAdminActionState,
  form: FormData,
): Promise<TAdminActionState> {
  return formAction(async () => {
    const admin = await requireAdmin();
    const { userId, reason } = parsedOrError(ZAccountForm.safeParse(fieldsOf(form)), "Check the form.");
    const text = await suspend(admin, userId, reason);
    revalidatePath("/admin");
    return { text };
  });
}

export async function unsuspendAccountAction(
  _previous: TAdminActionState,
  form: FormData,
): Promise<TAdminActionState> {
  return formAction(async () => {
    const admin = await requireAdmin();
    const { userId } = parsedOrError(ZAccountForm.safeParse(fieldsOf(form)), "Check the form.");
    const text = await unsuspend(admin, userId);
    revalidatePath("/admin");
    return { text };
  });
}

export async function stopStreamAction(
  _previous: TAdminActionState,
  form: FormData,
): Promise<TAdminActionState> {
  return formAction(async () => {
    const admin = await requireAdmin();
    const { channel, reason } = parsedOrError(ZStopForm.safeParse(fieldsOf(form)), "Check the form.");
    const text = await stopStream(admin, channel, reason);
    revalidatePath("/admin");
    return { text };
  });
}
