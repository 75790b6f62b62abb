import "server-only";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getAuth, SESSION_COOKIE_NAME } from "./auth.ts";

export type Viewer = {
  id: string;
  username: string;
  displayName: string;
  role: "user" | "admin";
  isSuspended: boolean;
};

/** The signed-in user of this request, or null. Read once per request. */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const session = await getAuth().api.getSession({ headers: await headers() });
  if (!session) return null;
  const user = session.user as typeof session.user & {
    username: string;
    displayUsername?: string | null;
    suspended?: boolean | null;
  };
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayUsername ?? user.username,
    role: user.role === "admin" ? "admin" : "user",
    isSuspended: user.suspended === true,
  };
});

/** The signed-in user, or a redirect to the login page that says why (expired vs signed out). */
export async function requireViewer(returnTo: string): Promise<Viewer> {
  const viewer = await getViewer();
  if (viewer) return viewer;
  const jar = await cookies();
  const hadSession = jar.has(SESSION_COOKIE_NAME) || jar.has(`__Secure-${SESSION_COOKIE_NAME}`);
  const query = new URLSearchParams({ next: returnTo, ...(hadSession ? { reason: "expired" } : {}) });
  redirect(`/login?${query}`);
}
