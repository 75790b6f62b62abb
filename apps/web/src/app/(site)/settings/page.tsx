import type { Metadata } from "next";
import { headers } from "next/headers";
import { Field } from "@/components/field.tsx";
import { ActionForm } from "@/components/action-form.tsx";
import {
  changeEmailAction,
  changePasswordAction,
  deleteAccountAction,
  signOutOtherSessionsAction,
} from "@/features/account/actions.ts";
import { getAuth } from "@/features/auth/auth.ts";
import { MAX_PASSWORD_LENGTH } from "@/features/auth/password-policy.ts";
import { requireViewer } from "@/features/auth/session.ts";
import { getDb } from "@/lib/db.ts";

export const metadata: Metadata = { title: "Settings" };

/** The account's own settings: password, email, and where it is signed in. */
export default async function SettingsPage() {
  const viewer = await requireViewer("/settings");
  const requestHeaders = await headers();
  const [{ email }, sessions, current] = await Promise.all([
    getDb().user.findUniqueOrThrow({ where: { id: viewer.id }, select: { email: true } }),
    getAuth().api.listSessions({ headers: requestHeaders }),
    getAuth().api.getSession({ headers: requestHeaders }),
  ]);
  const others = sessions.filter((session) => session.id !== current?.session.id);
  return (
    <div className="page settings">
      <h1>Settings</h1>
      <section className="card" aria-labelledby="password-heading">
        <h2 id="password-heading">Password</h2>
        <ActionForm
          className="form"
          action={changePasswordAction}
          label="Change your password"
          submit="Change password"
        >
          <Field
            name="currentPassword"
            label="Current password"
            type="password"
            autoComplete="current-password"
            maxLength={MAX_PASSWORD_LENGTH}
            required
          />
          <Field
            name="newPassword"
            label="New password"
            type="password"
            autoComplete="new-password"
            maxLength={MAX_PASSWORD_LENGTH}
            required
            hint="Your other sessions are signed out."
          />
        </ActionForm>
      </section>
      <section className="card" aria-labelledby="email-heading">
        <h2 id="email-heading">Email</h2>
        <p>
          Now: <strong data-testid="current-email">{email}</strong>
        </p>
        <ActionForm
          className="form"
          action={changeEmailAction}
          label="Change your email"
          submit="Change email"
        >
          <Field
            name="newEmail"
            label="New email"
            type="email"
            autoComplete="email"
            maxLength={254}
            required
          />
          <Field
            name="password"
            label="Your password"
            type="password"
            autoComplete="current-password"
            maxLength={MAX_PASSWORD_LENGTH}
            required
          />
        </ActionForm>
      </section>
      <section className="card" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Where you are signed in</h2>
        <ul className="plain-list" data-testid="sessions">
          {sessions.map((session) => (
            <li key={session.id}>
              {session.userAgent ?? "Unknown browser"} · {session.ipAddress ?? "unknown address"} · since{" "}
              {session.createdAt.toLocaleString("en-GB")}
              {session.id === current?.session.id && <strong> (this browser)</strong>}
            </li>
          ))}
        </ul>
        {others.length > 0 && (
          <form action={signOutOtherSessionsAction}>
            <button type="submit">
              Sign out the other {others.length === 1 ? "session" : `${others.length} sessions`}
            </button>
          </form>
        )}
      </section>
      <section className="card danger-zone" aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete your account</h2>
        <p>
          Your channel, its videos and chat, your stream keys and IRC tokens go, now and for good. Moderation
          records keep your name.
        </p>
        <ActionForm
          className="form"
          action={deleteAccountAction}
          label="Delete your account"
          submit="Delete my account"
          buttonClassName="danger"
        >
          <Field
            id="delete-password"
            name="password"
            label="Your password"
            type="password"
            autoComplete="current-password"
            maxLength={MAX_PASSWORD_LENGTH}
            required
          />
          <Field name="confirm" label='Type "delete" to confirm' autoComplete="off" maxLength={10} required />
        </ActionForm>
      </section>
    </div>
  );
}
