import type { Metadata } from "next";
import { Field } from "@/components/field.tsx";
import { ActionForm } from "@/components/action-form.tsx";
import { requestPasswordResetAction } from "@/features/account/actions.ts";

export const metadata: Metadata = { title: "Forgot your password?" };

export default function ForgotPasswordPage() {
  return (
    <div className="page narrow">
      <h1>Forgot your password?</h1>
      <p className="muted">We mail a link to your account's address; it works once, within an hour.</p>
      <ActionForm
        className="form"
        action={requestPasswordResetAction}
        label="Ask for a reset link"
        submit="Send the link"
      >
        <Field name="email" label="Email" type="email" autoComplete="email" maxLength={254} required />
      </ActionForm>
    </div>
  );
}
