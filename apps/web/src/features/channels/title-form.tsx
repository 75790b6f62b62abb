"use client";

import { Field } from "@/components/field.tsx";
import { useFormAction } from "@/lib/use-form-action.ts";
import { updateTitleAction, type TTitleState } from "./actions.ts";
import { MAX_TITLE_LENGTH } from "./schemas.ts";

export function TitleForm({ title }: { title: string }) {
  const [state, formAction, isPending] = useFormAction<TTitleState>(
    updateTitleAction,
    { title },
    (state, error) => ({
      ...state,
      error,
      isSaved: false,
    }),
  );
  return (
    <form action={formAction} className="inline-form" aria-label="Channel title">
      <Field
        name="title"
        label="Stream title"
        defaultValue={state.title ?? title}
        maxLength={MAX_TITLE_LENGTH}
        error={state.error}
        placeholder="What are you streaming?"
      />
      <button type="submit" disabled={isPending}>
        Save title
      </button>
      <p role="status" className="muted">
        {state.isSaved && !isPending ? "Title saved." : ""}
      </p>
    </form>
  );
}
