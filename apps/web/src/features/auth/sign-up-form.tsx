"use client";

import Link from "next/link";
import { Field } from "@/components/field.tsx";
import { useFormAction } from "@/lib/use-form-action.ts";
import { signUpAction, type TSignUpState } from "./actions.ts";

export function SignUpForm() {
  const [state, formAction, isPending] = useFormAction<TSignUpState>(
    signUpAction,
    {},
    (state, formError) => ({
      ...state,
      formError,
    }),
  );
  const errors = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="card form" noValidate aria-labelledby="signup-heading">
      <h1 id="signup-heading">Create your channel</h1>
      {state.formError && (
        <p role="alert" className="form-error">
          {state.formError}
        </p>
      )}
      <Field
        name="username"
        label="Username"
        autoComplete="username"
        required
        maxLength={25}
        defaultValue={state.values?.username}
        error={errors.username}
        hint="3–25 letters, digits or underscores. It is your channel's address."
      />
      <Field
        name="email"
        label="Email"
        type="email"
        autoComplete="email"
        required
        defaultValue={state.values?.email}
        error={errors.email}
      />
      <Field
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        minLength={10}
        maxLength={128}
        error={errors.password}
        hint="At least 10 characters."
      />
      <button type="submit" disabled={isPending}>
        {isPending ? "Creating…" : "Sign up"}
      </button>
      <p className="muted">
        Already have an account? <Link href="/login">Log in</Link>
      </p>
    </form>
  );
}
