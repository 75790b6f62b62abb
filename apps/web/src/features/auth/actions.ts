"use server";

import { getOwnedChannel, createStreamKey } from "@relaycast/db";
import { APIError } from "better-auth/api";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/lib/db.ts";
import { getLog } from "@/lib/logger.ts";
import { setNewStreamKeyFlash } from "../stream-keys/new-stream-key-flash.ts";
import { getAuth, SUSPENDED_CODE, SUSPENDED_MESSAGE } from "./auth.ts";
import {
  checkLoginAllowed,
  checkSignUpAllowed,
  clearLoginFailures,
  recordLoginFailed,
} from "./auth-limits.ts";
import { clientIpOfRequest } from "./client-ip-of-request.ts";
import { findPasswordWeakness } from "./password-policy.ts";
import { fieldErrorsOf, safeNextPath, ZLogInForm, ZSignUpForm, type TFormState } from "./schemas.ts";

const authLog = () => getLog().child({ component: "auth" });

export type TSignUpState = TFormState<"username" | "email" | "password">;
export type TLogInState = TFormState<"identifier" | "password">;

const SIGN_UP_ERRORS: Record<string, TSignUpState["fieldErrors"]> = {
  USERNAME_IS_ALREADY_TAKEN: { username: "That username is taken." },
  USERNAME_IS_ALREADY_TAKEN_PLEASE_TRY_ANOTHER: { username: "That username is taken." },
  USER_ALREADY_EXISTS: { email: "An account with that email already exists." },
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: { email: "An account with that email already exists." },
  INVALID_EMAIL: { email: "Enter a valid email address." },
  INVALID_USERNAME: { username: "Username may use only letters, digits and underscores." },
};

export async function signUpAction(_previous: TSignUpState, form: FormData): Promise<TSignUpState> {
  const raw = { username: form.get("username"), email: form.get("email"), password: form.get("password") };
  const values = {
    username: String(raw.username ?? "").slice(0, 100),
    email: String(raw.email ?? "").slice(0, 300),
  };
  const parsed = ZSignUpForm.safeParse(raw);
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error), values };
  const { username, email, password } = parsed.data;
  const weakness = findPasswordWeakness(password, { username, email });
  if (weakness) return { fieldErrors: { password: weakness }, values };

  const refusal = await checkSignUpAllowed({ ip: await clientIpOfRequest() });
  if (refusal) return { formError: refusal, values };

  let userId: string;
  try {
    const result = await getAuth().api.signUpEmail({
      body: { email, password, name: username, username, displayUsername: username },
      headers: await headers(),
    });
    userId = result.user.id;
  } catch (error) {
    const code = error instanceof APIError ? String(error.body?.code ?? "") : "";
    const fieldErrors = SIGN_UP_ERRORS[code];
    if (fieldErrors) return { fieldErrors, values };
    authLog().error({ err: error }, "sign-up failed");
    return { formError: "Sign-up failed. Please try again.", values };
  }

  const channel = await getOwnedChannel(getDb(), { ownerId: userId });
  if (!channel) throw new Error("sign-up committed an account without its channel");
  const { streamKey } = await createStreamKey(getDb(), { channelId: channel.id });
  await setNewStreamKeyFlash(streamKey);
  authLog().info({ channel: channel.name }, "account created");
  redirect("/dashboard");
}

export async function logInAction(_previous: TLogInState, form: FormData): Promise<TLogInState> {
  const raw = {
    identifier: form.get("identifier"),
    password: form.get("password"),
    next: form.get("next") ?? undefined,
  };
  const values = { identifier: String(raw.identifier ?? "").slice(0, 300) };
  const parsed = ZLogInForm.safeParse(raw);
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error), values };
  const { identifier, password, next } = parsed.data;

  const ip = await clientIpOfRequest();
  const refusal = await checkLoginAllowed({ identifier, ip });
  if (refusal) return { formError: refusal, values };

  try {
    const requestHeaders = await headers();
    if (identifier.includes("@")) {
      await getAuth().api.signInEmail({ body: { email: identifier, password }, headers: requestHeaders });
    } else {
      await getAuth().api.signInUsername({
        body: { username: identifier, password },
        headers: requestHeaders,
      });
    }
  } catch (error) {
    if (error instanceof APIError && error.body?.code === SUSPENDED_CODE) {
      return { formError: SUSPENDED_MESSAGE, values };
    }
    if (error instanceof APIError && error.statusCode < 500) {
      await recordLoginFailed({ identifier, ip });
      return { formError: "Wrong username or password.", values };
    }
    authLog().error({ err: error }, "login failed");
    return { formError: "Login failed. Please try again.", values };
  }
  await clearLoginFailures({ identifier, ip });
  redirect(safeNextPath(next));
}

export async function logOutAction(): Promise<void> {
  await getAuth().api.signOut({ headers: await headers() });
  redirect("/");
}
