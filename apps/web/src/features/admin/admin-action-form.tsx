"use client";

import { useFormAction } from "@/lib/use-form-action.ts";
import {
  stopStreamAction,
  suspendAccountAction,
  unsuspendAccountAction,
  type TAdminActionState,
} from "./actions.ts";

const ACTIONS = {
  suspend: suspendAccountAction,
  unsuspend: unsuspendAccountAction,
  stop: stopStreamAction,
};

/** One admin act on an account or a stream: a reason where it takes one, a button, its outcome. */
export function AdminActionForm({
  act,
  label,
  submit,
  fields,
  withReason = false,
}: {
  act: keyof typeof ACTIONS;
  label: string;
  submit: string;
  fields: Record<string, string>;
  withReason?: boolean;
}) {
  const [state, action, isPending] = useFormAction<TAdminActionState>(ACTIONS[act], {}, (_state, error) => ({
    error,
  }));
  return (
    <form action={action} className="inline-form" aria-label={label}>
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {withReason && (
        <input name="reason" aria-label={`Reason (${label})`} placeholder="Reason" maxLength={300} />
      )}
      <button type="submit" disabled={isPending} className={act === "unsuspend" ? undefined : "danger"}>
        {submit}
      </button>
      {state.error ? (
        <span role="alert" className="error">
          {state.error}
        </span>
      ) : (
        <span role="status" className="muted">
          {isPending ? "" : (state.text ?? "")}
        </span>
      )}
    </form>
  );
}
