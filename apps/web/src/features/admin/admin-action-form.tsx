"use client";

import { useFormAction } from "@/lib/use-form-action.ts";
import {
  banEverywhereAction,
  deleteVideoAsAdminAction,
  liftSiteBanAction,
  stopStreamAction,
  suspendAccountAction,
  unsuspendAccountAction,
  type TAdminActionState,
} from "./actions.ts";

const ACTIONS = {
  suspend: suspendAccountAction,
  unsuspend: unsuspendAccountAction,
  stop: stopStreamAction,
  "ban-everywhere": banEverywhereAction,
  "lift-site-ban": liftSiteBanAction,
  "delete-video": deleteVideoAsAdminAction,
};
/** Acts that undo something: not drawn as dangerous. */
const GENTLE = new Set<keyof typeof ACTIONS>(["unsuspend", "lift-site-ban"]);

/** One admin act (on an account, a stream, a video): its fields, a button, its outcome. */
export function AdminActionForm({
  act,
  label,
  submit,
  fields,
  withReason = false,
  withUsername = false,
}: {
  act: keyof typeof ACTIONS;
  label: string;
  submit: string;
  fields: Record<string, string>;
  withReason?: boolean;
  /** A username field (acts on an account typed in). */
  withUsername?: boolean;
}) {
  const [state, action, isPending] = useFormAction<TAdminActionState>(ACTIONS[act], {}, (_state, error) => ({
    error,
  }));
  return (
    <form action={action} className="inline-form" aria-label={label}>
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {withUsername && (
        <input
          name="username"
          aria-label={`Username (${label})`}
          placeholder="Username"
          maxLength={25}
          required
        />
      )}
      {withReason && (
        <input name="reason" aria-label={`Reason (${label})`} placeholder="Reason" maxLength={300} />
      )}
      <button type="submit" disabled={isPending} className={GENTLE.has(act) ? undefined : "danger"}>
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
