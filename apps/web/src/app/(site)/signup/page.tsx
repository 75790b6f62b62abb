import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getViewer } from "@/features/auth/session.ts";
import { SignUpForm } from "@/features/auth/sign-up-form.tsx";

export const metadata: Metadata = { title: "Sign up" };

export default async function SignUpPage() {
  if (await getViewer()) redirect("/dashboard");
  return (
    <div className="page narrow">
      <SignUpForm />
    </div>
  );
}
