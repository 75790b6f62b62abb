"use client";

import { unstable_rethrow } from "next/navigation";
import { useActionState } from "react";
import { BODY_TOO_LARGE_MESSAGE } from "./form-limits.ts";

const SEND_FAILED_MESSAGE = "The form could not be sent. Please try again.";

/**
 * `useActionState` for a server action, where a post the server refuses before the action runs
 * (a body over the size limit, a server that is away) shows as the form's error rather than an
 * error page. Redirects and Next's other control flow pass through.
 */
export function useFormAction<TState>(
  action: (state: TState, form: FormData) => Promise<TState>,
  initial: TState,
  withError: (state: TState, message: string) => TState,
) {
  return useActionState<TState, FormData>(async (state, form) => {
    try {
      return await action(state, form);
    } catch (error) {
      unstable_rethrow(error);
      const isTooLarge = error instanceof Error && error.message === BODY_TOO_LARGE_MESSAGE;
      return withError(state, isTooLarge ? BODY_TOO_LARGE_MESSAGE : SEND_FAILED_MESSAGE);
    }
  }, initial as Awaited<TState>); // a plain object, never a promise
}
