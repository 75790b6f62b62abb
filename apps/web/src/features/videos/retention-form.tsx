"use client";

import { Field } from "@/components/field.tsx";
import { useFormAction } from "@/lib/use-form-action.ts";
import { setRetentionAction, type TRetentionState } from "./actions.ts";
import { MAX_RETENTION_DAYS } from "./schemas.ts";

/** The owner's retention setting: videos are kept forever, or this many days after their broadcast. */
export function RetentionForm({ retentionDays }: { retentionDays: number | null }) {
  const [state, formAction, isPending] = useFormAction<TRetentionState>(
    setRetentionAction,
    { retentionDays },
    (state, error) => ({ ...state, error, isSaved: false }),
  );
  const current = state.retentionDays === undefined ? retentionDays : state.retentionDays;
  return (
    <form action={formAction} className="inline-form" aria-label="Video retention">
      <Field
        name="retentionDays"
        label="Keep videos for (days)"
        type="number"
        min={1}
        max={MAX_RETENTION_DAYS}
        defaultValue={current ?? ""}
        error={state.error}
        hint="Empty keeps them forever."
      />
      <button type="submit" disabled={isPending}>
        Save retention
      </button>
      <p role="status" className="muted">
        {state.isSaved && !isPending
          ? current === null
            ? "Videos are kept forever."
            : `Videos are kept ${current} days.`
          : ""}
      </p>
    </form>
  );
}
