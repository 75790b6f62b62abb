import "server-only";
import { notFound } from "next/navigation";
import { AppError } from "@/lib/app-error.ts";
import { getViewer, type Viewer } from "../auth/session.ts";

/** An admin page's viewer: anyone else gets a 404, so /admin does not tell that it exists. */
export async function requireAdminPage(): Promise<Viewer> {
  const viewer = await getViewer();
  if (viewer?.role !== "admin") notFound();
  return viewer;
}

/** An admin API's or action's viewer: 401 signed out, 403 for anyone who is not an admin. */
export async function requireAdmin(): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) throw new AppError("UNAUTHORIZED", "Sign in first.");
  if (viewer.role !== "admin") throw new AppError("FORBIDDEN", "Only site admins can do that.");
  return viewer;
}
