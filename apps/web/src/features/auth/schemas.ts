import { z } from "zod";
import { MAX_PASSWORD_LENGTH } from "./password-policy.ts";
import { ZUsername } from "./username-policy.ts";

export const ZSignUpForm = z.object({
  username: ZUsername,
  email: z.string().trim().max(254, "Email is too long.").pipe(z.email("Enter a valid email address.")),
  password: z
    .string()
    .max(MAX_PASSWORD_LENGTH, `Password must be at most ${MAX_PASSWORD_LENGTH} characters.`),
});
export type TSignUpForm = z.infer<typeof ZSignUpForm>;

export const ZLogInForm = z.object({
  /** A username or an email address. */
  identifier: z.string().trim().min(1, "Enter your username or email.").max(254, "That is too long."),
  password: z
    .string()
    .min(1, "Enter your password.")
    .max(MAX_PASSWORD_LENGTH, `Passwords are at most ${MAX_PASSWORD_LENGTH} characters.`),
  next: z.string().max(200).optional(),
});

/** Field errors and a form-level message, shaped for useActionState. */
export type TFormState<TFields extends string> = {
  fieldErrors?: Partial<Record<TFields, string>>;
  formError?: string;
  values?: Partial<Record<TFields, string>>;
};

export function fieldErrorsOf<TFields extends string>(error: z.ZodError): Partial<Record<TFields, string>> {
  const errors: Partial<Record<TFields, string>> = {};
  for (const issue of error.issues) {
    const field = issue.path[0] as TFields | undefined;
    if (field && !errors[field]) errors[field] = issue.message;
  }
  return errors;
}

/** A post-login destination: a path on this site only, never another origin. */
export function safeNextPath(next: string | undefined): string {
  return next && /^\/(?![/\\])[\w\-/?=&.%]*$/.test(next) ? next : "/dashboard";
}
