import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LogInForm } from "@/features/auth/log-in-form.tsx";
import { getViewer } from "@/features/auth/session.ts";

export const metadata: Metadata = { title: "Log in" };

const NOTICES: Record<string, string> = {
  expired: "Your session has expired. Please log in again.",
  reset: "Your password is changed. Log in with the new one.",
};

type LogInPageProps = { searchParams: Promise<{ next?: string; reason?: string }> };

export default async function LogInPage({ searchParams }: LogInPageProps) {
  if (await getViewer()) redirect("/dashboard");
  const { next, reason } = await searchParams;
  const notice = NOTICES[reason ?? ""];
  return (
    <div className="page narrow">
      <LogInForm next={typeof next === "string" ? next : undefined} notice={notice} />
    </div>
  );
}
