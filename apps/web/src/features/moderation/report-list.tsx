import type { listOpenChatReports } from "@relaycast/db";
import type { ReactNode } from "react";

type TReport = Awaited<ReturnType<typeof listOpenChatReports>>[number];

/** Reported chat lines: who said what, who reported it and why; each with the actions given. */
export function ReportList({
  reports,
  showChannel,
  actions,
}: {
  reports: TReport[];
  showChannel: boolean;
  actions: (report: TReport) => ReactNode;
}) {
  if (reports.length === 0) return <p className="muted">No open reports.</p>;
  return (
    <ul className="plain-list report-list" data-testid="reports">
      {reports.map((report) => (
        <li key={report.id} data-report={report.id}>
          <span>
            {showChannel && <>#{report.channelName} · </>}
            <strong>{report.messageNick}</strong>: “{report.messageText}” — {report.reason}, reported by{" "}
            {report.reporterName} at {report.createdAt.toLocaleTimeString("en-GB")}
          </span>
          {actions(report)}
        </li>
      ))}
    </ul>
  );
}
