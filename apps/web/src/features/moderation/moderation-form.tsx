"use client";

import type { ReactNode } from "react";
import { useFormAction } from "@/lib/use-form-action.ts";
import { moderateOwnChannelAction, type TModerationFormState } from "./actions.ts";

/** One moderation form of the owner's dashboard: its fields, its button, and what came of it. */
export function ModerationForm({
  label,
  type,
  submit,
  children,
}: {
  label: string;
  type: "mod" | "unmod" | "unban" | "untimeout" | "slow";
  submit: string;
  children?: ReactNode;
}) {
  const [state, action, isPending] = useFormAction<TModerationFormState>(
    moderateOwnChannelAction,
    {},
    (_state, error) => ({ error }),
  );
  return (
    <form action={action} className="inline-form" aria-label={label}>
      <input type="hidden" name="type" value={type} />
      {children}
      <button type="submit" disabled={isPending}>
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
