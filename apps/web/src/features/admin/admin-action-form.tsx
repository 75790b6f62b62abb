"use client";

import { ActionForm } from "@/components/action-form.tsx";
import {
  banEverywhereAction,
  closeReportAction,
  deleteReportedLineAction,
  deleteVideoAsAdminAction,
  liftSiteBanAction,
  stopStreamAction,
  suspendAccountAction,
  unsuspendAccountAction,
} from "./actions.ts";

const ACTIONS = {
  suspend: suspendAccountAction,
  unsuspend: unsuspendAccountAction,
  stop: stopStreamAction,
  "ban-everywhere": banEverywhereAction,
  "lift-site-ban": liftSiteBanAction,
  "delete-video": deleteVideoAsAdminAction,
  "close-report": closeReportAction,
  "delete-reported-line": deleteReportedLineAction,
};
/** Acts that undo something: not drawn as dangerous. */
const GENTLE = new Set<keyof typeof ACTIONS>(["unsuspend", "lift-site-ban", "close-report"]);

/** One admin act (on an account, a stream, a video): what it acts on, a reason where it takes one. */
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
  return (
    <ActionForm
      action={ACTIONS[act]}
      label={label}
      submit={submit}
      buttonClassName={GENTLE.has(act) ? undefined : "danger"}
    >
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
    </ActionForm>
  );
}
