import type { Metadata } from "next";
import Link from "next/link";
import { Field } from "@/components/field.tsx";
import { ActionForm } from "@/components/action-form.tsx";
import { resetPasswordAction } from "@/features/account/actions.ts";
import { MAX_PASSWORD_LENGTH } from "@/features/auth/password-policy.ts";

export const metadata: Metadata = { title: "Choose a new password" };

export default async function ResetPasswordPage({ searchParams }: PageProps<"/reset-password">) {
  const { token } = await searchParams;
  if (typeof token !== "string" || token === "") {
    return (
      <div className="page narrow">
        <h1>Choose a new password</h1>
        <p>
          This page needs the link from your mail. <Link href="/forgot-password">Ask for a new one</Link>.
        </p>
      </div>
    );
  }
  return (
    <div className="page narrow">
      <h1>Choose a new password</h1>
      <ActionForm
        className="form"
        action={resetPasswordAction}
        label="Choose a new password"
        submit="Save the new password"
      >
        <input type="hidden" name="token" value={token} />
        <Field
          name="newPassword"
          label="New password"
          type="password"
          autoComplete="new-password"
          maxLength={MAX_PASSWORD_LENGTH}
          required
        />
      </ActionForm>
    </div>
  );
}
