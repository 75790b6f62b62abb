import { z } from "zod";
import { MAX_PASSWORD_LENGTH } from "../auth/password-policy.ts";

const ZPassword = z
  .string()
  .min(1, "Enter a password.")
  .max(MAX_PASSWORD_LENGTH, `Passwords are at most ${MAX_PASSWORD_LENGTH} characters.`);
const ZEmail = z.string().trim().max(254, "Email is too long.").pipe(z.email("Enter a valid email address."));

export const ZResetRequestForm = z.object({ email: ZEmail });
export const ZResetForm = z.object({ token: z.string().min(10).max(200), newPassword: ZPassword });
export const ZChangePasswordForm = z.object({ currentPassword: ZPassword, newPassword: ZPassword });
export const ZChangeEmailForm = z.object({ newEmail: ZEmail, password: ZPassword });
export const ZDeleteAccountForm = z.object({
  password: ZPassword,
  confirm: z.literal("delete", "Type delete to confirm."),
});
