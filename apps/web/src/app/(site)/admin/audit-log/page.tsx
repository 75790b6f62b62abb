import type { Metadata } from "next";
import Link from "next/link";
import { requireAdminPage } from "@/features/admin/require-admin.ts";
import { AuditLogView } from "@/features/moderation/audit-log-view.tsx";
import { ZAuditLogQuery } from "@/features/moderation/schemas.ts";

export const metadata: Metadata = { title: "Audit log" };

/** The whole site's audit log, for admins: every moderation and admin act, in every channel. */
export default async function AdminAuditLogPage({ searchParams }: PageProps<"/admin/audit-log">) {
  await requireAdminPage();
  const query = ZAuditLogQuery.parse(await searchParams);
  return (
    <div className="page">
      <h1>Audit log</h1>
      <p>
        <Link href="/admin">Back to admin</Link>
      </p>
      <AuditLogView path="/admin/audit-log" query={query} />
    </div>
  );
}
