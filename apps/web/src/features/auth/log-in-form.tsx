"use client";

import Link from "next/link";
import { Field } from "@/components/field.tsx";
import { useFormAction } from "@/lib/use-form-action.ts";
import { logInAction, type TLogInState } from "./actions.ts";

export function LogInForm({ next, notice }: { next?: string; notice?: string }) {
  const [state, formAction, isPending] = useFormAction<TLogInState>(logInAction, {}, (state, formError) => ({
    ...state,
    formError,
  }));
  const errors = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="card form" noValidate aria-labelledby="login-heading">
      <h1 id="login-heading">Log in</h1>
      {notice && !state.formError && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      {state.formError && (
        <p role="alert" className="form-error">
          {state.formError}
        </p>
      )}
      {next && <input type="hidden" name="next" value={next} />}
      <Field
        name="identifier"
        label="Username or email"
        autoComplete="username"
        required
        defaultValue={state.values?.identifier}
        error={errors.identifier}
      />
      <Field
        name="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        required
        error={errors.password}
      />
      <button type="submit" disabled={isPending}>
        {isPending ? "Logging in…" : "Log in"}
      </button>
      <p className="muted">
        <Link href="/forgot-password">Forgot your password?</Link> · New here?{" "}
        <Link href="/signup">Create a channel</Link>
      </p>
    </form>
  );
}
