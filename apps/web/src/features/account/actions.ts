"use server";

import { consumeRateLimit, deleteAccount } from "@relaycast/db";
import { APIError } from "better-auth/api";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import type { TActionFormState } from "@/components/action-form.tsx";
import { AppError, formAction, parsedOrError } from "@/lib/app-error.ts";
import { getDb } from "@/lib/db.ts";
import { getLog } from "@/lib/logger.ts";
import { getAuth } from "../auth/auth.ts";
import { clientIpOfRequest } from "../auth/client-ip-of-request.ts";
import { findPasswordWeakness } from "../auth/password-policy.ts";
import { requireViewer, type Viewer } from "../auth/session.ts";
import { dropChatUser } from "../admin/drop-chat-user.ts";
import { SESSION_COOKIE_NAME } from "../auth/auth.ts";
import {
  ZChangeEmailForm,
  ZChangePasswordForm,
  ZDeleteAccountForm,
  ZResetForm,
  ZResetRequestForm,
} from "./schemas.ts";

const accountLog = () => getLog().child({ component: "account" });
/** Reset mails one address may ask for per hour, and one network. */
const RESET_REQUESTS_PER_HOUR = { perEmail: 3, perIp: 20 };

/** Asks for a reset link. The answer is the same whether an account has this email or not. */
export async function requestPasswordResetAction(
  _previous: TActionFormState,
  form: FormData,
): Promise<TActionFormState> {
  return formAction(async () => {
    const { email } = parsedOrError(
      ZResetRequestForm.safeParse({ email: form.get("email") }),
      "Enter your email.",
    );
    const ip = await clientIpOfRequest();
    for (const [key, limit] of [
      [`reset:email:${email.toLowerCase()}`, RESET_REQUESTS_PER_HOUR.perEmail],
      [`reset:ip:${ip}`, RESET_REQUESTS_PER_HOUR.perIp],
    ] as const) {
      const verdict = await consumeRateLimit(getDb(), { key, limit, windowSeconds: 3600 });
      if (!verdict.isAllowed) throw new AppError("RATE_LIMITED", "Too many reset requests. Try again later.");
    }
    await getAuth().api.requestPasswordReset({ body: { email }, headers: await headers() });
    return {
      text: "If an account has this email, a link to reset its password is on its way. It works for an hour.",
    };
  });
}

/** Sets a new password with a reset link's token (once, within the hour); every session ends. */
export async function resetPasswordAction(
  _previous: TActionFormState,
  form: FormData,
): Promise<TActionFormState> {
  const result = await formAction(async () => {
    const { token, newPassword } = parsedOrError(
      ZResetForm.safeParse({ token: form.get("token"), newPassword: form.get("newPassword") }),
      "Check the form.",
    );
    try {
      await getAuth().api.resetPassword({ body: { token, newPassword } });
    } catch (error) {
      if (error instanceof APIError && error.statusCode < 500) {
        throw new AppError(
          "INVALID_INPUT",
          "This reset link has expired or was used already. Ask for a new one.",
        );
      }
      throw error;
    }
    accountLog().info("password reset with a reset link");
    return { text: "done" };
  });
  if ("error" in result) return result;
  redirect("/login?reason=reset");
}

export async function changePasswordAction(
  _previous: TActionFormState,
  form: FormData,
): Promise<TActionFormState> {
  const viewer = await requireViewer("/settings");
  return formAction(async () => {
    const { currentPassword, newPassword } = parsedOrError(
      ZChangePasswordForm.safeParse({
        currentPassword: form.get("currentPassword"),
        newPassword: form.get("newPassword"),
      }),
      "Check the form.",
    );
    await refuseWeakPassword(viewer, newPassword);
    const requestHeaders = await headers();
    await withWrongPasswordAsError(() =>
      getAuth().api.changePassword({ body: { currentPassword, newPassword }, headers: requestHeaders }),
    );
    // Not changePassword's own revokeOtherSessions: it replaces this session too, and its new
    // cookie does not reach the browser from a server action.
    await getAuth().api.revokeOtherSessions({ headers: requestHeaders });
    accountLog().info({ user: viewer.username }, "password changed");
    return { text: "Your password is changed, and your other sessions are signed out." };
  });
}

export async function changeEmailAction(
  _previous: TActionFormState,
  form: FormData,
): Promise<TActionFormState> {
  const viewer = await requireViewer("/settings");
  return formAction(async () => {
    const { newEmail, password } = parsedOrError(
      ZChangeEmailForm.safeParse({ newEmail: form.get("newEmail"), password: form.get("password") }),
      "Check the form.",
    );
    const requestHeaders = await headers();
    await withWrongPasswordAsError(() =>
      getAuth().api.verifyPassword({ body: { password }, headers: requestHeaders }),
    );
    try {
      await getAuth().api.changeEmail({ body: { newEmail }, headers: requestHeaders });
    } catch (error) {
      if (error instanceof APIError && error.statusCode < 500) {
        throw new AppError("CONFLICT", "That email cannot be used: another account may have it.");
      }
      throw error;
    }
    accountLog().info({ user: viewer.username }, "email changed");
    return { text: `Your email is now ${newEmail}.` };
  });
}

/**
 * Deletes the viewer's account, after their password: its channel, keys, tokens and videos go (a
 * live stream is cut off by ingest's key re-check), its chats close, and the browser is signed out.
 */
export async function deleteAccountAction(
  _previous: TActionFormState,
  form: FormData,
): Promise<TActionFormState> {
  const viewer = await requireViewer("/settings");
  const result = await formAction(async () => {
    const { password } = parsedOrError(
      ZDeleteAccountForm.safeParse({ password: form.get("password"), confirm: form.get("confirm") }),
      "Check the form.",
    );
    const requestHeaders = await headers();
    await withWrongPasswordAsError(() =>
      getAuth().api.verifyPassword({ body: { password }, headers: requestHeaders }),
    );
    if (!(await deleteAccount(getDb(), { userId: viewer.id })))
      throw new AppError("NOT_FOUND", "That account is gone.");
    await dropChatUser({ id: viewer.id, username: viewer.username });
    accountLog().info({ user: viewer.username }, "account deleted by its owner");
    return { text: "deleted" };
  });
  if ("error" in result) return result;
  const jar = await cookies();
  for (const name of [SESSION_COOKIE_NAME, `__Secure-${SESSION_COOKIE_NAME}`]) jar.delete(name);
  redirect("/?deleted=1");
}

/** Signs out every session of the viewer but this one. */
export async function signOutOtherSessionsAction(): Promise<void> {
  await requireViewer("/settings");
  await getAuth().api.revokeOtherSessions({ headers: await headers() });
  redirect("/settings");
}

async function refuseWeakPassword(viewer: Viewer, password: string) {
  const email = (await getDb().user.findUniqueOrThrow({ where: { id: viewer.id }, select: { email: true } }))
    .email;
  const weakness = findPasswordWeakness(password, { username: viewer.username, email });
  if (weakness) throw new AppError("INVALID_INPUT", weakness);
}

/** better-auth's 4xx on a password check is the user's wrong password; anything else stays an error. */
async function withWrongPasswordAsError(check: () => Promise<unknown>) {
  try {
    await check();
  } catch (error) {
    if (error instanceof APIError && error.statusCode < 500) {
      throw new AppError("FORBIDDEN", "Your current password is not right.");
    }
    throw error;
  }
}
