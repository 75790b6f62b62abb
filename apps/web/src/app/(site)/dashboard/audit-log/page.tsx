import type { Metadata } from "next";
import Link from "next/link";
import { requireViewer } from "@/features/auth/session.ts";
import { getDashboardChannel } from "@/features/channels/queries.ts";
import { AuditLogView } from "@/features/moderation/audit-log-view.tsx";
import { ZAuditLogQuery } from "@/features/moderation/schemas.ts";

export const metadata: Metadata = { title: "Audit log" };

/** The owner's channel audit log: every moderation act in their chat. */
export default async function ChannelAuditLogPage({ searchParams }: PageProps<"/dashboard/audit-log">) {
  const viewer = await requireViewer("/dashboard/audit-log");
  const channel = await getDashboardChannel({ ownerId: viewer.id });
  if (!channel) throw new Error(`account ${viewer.id} has no channel`);
  const query = ZAuditLogQuery.parse(await searchParams);
  return (
    <div className="page">
      <h1>Audit log of {channel.name}</h1>
      <p>
        <Link href="/dashboard">Back to the dashboard</Link>
      </p>
      <AuditLogView path="/dashboard/audit-log" query={query} channelId={channel.id} />
    </div>
  );
}
