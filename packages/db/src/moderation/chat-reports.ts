import type { Db } from "../client.ts";

/** Why a viewer reports a line. */
export const CHAT_REPORT_REASONS = ["spam", "harassment", "hate", "other"] as const;
export type TChatReportReason = (typeof CHAT_REPORT_REASONS)[number];

/** A viewer reports a chat line; once per line and viewer ("already" for a second time). */
export async function reportChatMessage(
  db: Db,
  report: {
    channelName: string;
    msgid: string;
    messageNick: string;
    messageText: string;
    reporter: { userId: string; name: string };
    reason: TChatReportReason;
  },
): Promise<"reported" | "already" | "no-channel"> {
  const channel = await db.channel.findUnique({ where: { name: report.channelName }, select: { id: true } });
  if (!channel) return "no-channel";
  const { count } = await db.chatReport.createMany({
    data: [
      {
        channelId: channel.id,
        msgid: report.msgid,
        messageNick: report.messageNick,
        messageText: report.messageText,
        reporterId: report.reporter.userId,
        reporterName: report.reporter.name,
        reason: report.reason,
      },
    ],
    skipDuplicates: true,
  });
  return count === 1 ? "reported" : "already";
}

/** The reports still open, newest first: one channel's, or the whole site's. */
export async function listOpenChatReports(
  db: Db,
  { channelId, take = 50 }: { channelId?: string; take?: number },
) {
  const rows = await db.chatReport.findMany({
    where: { channelId, resolvedAt: null },
    orderBy: { createdAt: "desc" },
    take,
    select: {
      id: true,
      msgid: true,
      messageNick: true,
      messageText: true,
      reporterName: true,
      reason: true,
      createdAt: true,
      channel: { select: { name: true } },
    },
  });
  return rows.map(({ channel, ...row }) => ({ ...row, channelName: channel.name }));
}

/** Closes a report (the moderator looked at it); only within `channelId` when given. False when it was not open. */
export async function resolveChatReport(
  db: Db,
  { reportId, resolverName, channelId }: { reportId: string; resolverName: string; channelId?: string },
): Promise<boolean> {
  const { count } = await db.chatReport.updateMany({
    where: { id: reportId, channelId, resolvedAt: null },
    data: { resolvedAt: new Date(), resolvedByName: resolverName },
  });
  return count === 1;
}
