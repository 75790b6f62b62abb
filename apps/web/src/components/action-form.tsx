"use client";

import type { ReactNode } from "react";
import { useFormAction } from "@/lib/use-form-action.ts";

/** What an act answers its form: what was done, or why not. */
export type TActionFormState = { text?: string; error?: string };

/**
 * A form for one server action that answers with a line: its fields, its button, and the outcome
 * under them (a refusal as an alert, what was done as a status).
 */
export function ActionForm({
  action,
  label,
  submit,
  className = "inline-form",
  buttonClassName,
  children,
}: {
  action: (state: TActionFormState, form: FormData) => Promise<TActionFormState>;
  label: string;
  submit: string;
  className?: string;
  buttonClassName?: string;
  children?: ReactNode;
}) {
  const [state, formAction, isPending] = useFormAction<TActionFormState>(action, {}, (_state, error) => ({
    error,
  }));
  return (
    <form action={formAction} className={className} aria-label={label}>
      {children}
      <button type="submit" disabled={isPending} className={buttonClassName}>
        {submit}
      </button>
      {state.error ? (
        <p role="alert" className="error">
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
