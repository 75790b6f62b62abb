"use client";

import type { ReactNode } from "react";
import { useFormAction } from "@/lib/use-form-action.ts";
import type { TAccountFormState } from "./actions.ts";

/** A settings form: its fields, its button, and what came of it (a refusal in its alert). */
export function AccountForm({
  action,
  label,
  submit,
  children,
}: {
  action: (state: TAccountFormState, form: FormData) => Promise<TAccountFormState>;
  label: string;
  submit: string;
  children: ReactNode;
}) {
  const [state, formAction, isPending] = useFormAction<TAccountFormState>(action, {}, (_state, error) => ({
    error,
  }));
  return (
    <form action={formAction} className="form" aria-label={label}>
      {children}
      <button type="submit" disabled={isPending}>
        {submit}
      </button>
      {state.error ? (
        <p role="alert" className="form-error">
          {state.error}
        </p>
      ) : (
        <p role="status" className="muted">
          {isPending ? "" : (state.text ?? "")}
        </p>
      )}
    </form>
  );
}
