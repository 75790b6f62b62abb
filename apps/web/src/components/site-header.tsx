import Link from "next/link";
import { logOutAction } from "@/features/auth/actions.ts";
import { getViewer } from "@/features/auth/session.ts";

export async function SiteHeader() {
  const viewer = await getViewer();
  return (
    <header className="site-header">
      <Link href="/" className="brand">
        Relaycast
      </Link>
      <nav aria-label="Account">
        {viewer ? (
          <>
            <Link href={`/${viewer.username}`}>{viewer.displayName}</Link>
            <Link href="/dashboard">Dashboard</Link>
            <Link href="/settings">Settings</Link>
            {viewer.role === "admin" && <Link href="/admin">Admin</Link>}
            <form action={logOutAction}>
              <button type="submit" className="link-button">
                Log out
              </button>
            </form>
          </>
        ) : (
          <>
            <Link href="/login">Log in</Link>
            <Link href="/signup" className="button">
              Sign up
            </Link>
          </>
        )}
      </nav>
    </header>
  );
}
