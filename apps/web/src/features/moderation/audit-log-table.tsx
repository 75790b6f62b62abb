import type { listModerationActions } from "@relaycast/db";

type TAuditRow = Awaited<ReturnType<typeof listModerationActions>>["actions"][number];

const ACTION_NAMES: Record<string, string> = {
  message_delete: "deleted a message of",
  timeout: "timed out",
  untimeout: "lifted the timeout of",
  ban: "banned",
  unban: "unbanned",
  kick: "kicked",
  slow_mode: "set slow mode",
  chat_clear: "cleared the chat",
  moderator_add: "made a moderator:",
  moderator_remove: "removed the moderator",
  stream_stop: "stopped the stream of",
  account_suspend: "suspended",
  account_unsuspend: "unsuspended",
  recording_delete: "deleted a video",
  blocked_terms: "set the blocked terms",
};

/** The audit log as a table: who did what, to whom, where, why and when. */
export function AuditLogTable({ rows, showChannel }: { rows: TAuditRow[]; showChannel: boolean }) {
  if (rows.length === 0) return <p className="muted">Nothing has been done yet.</p>;
  return (
    <table className="audit-log" data-testid="audit-log">
      <thead>
        <tr>
          <th scope="col">When</th>
          {showChannel && <th scope="col">Channel</th>}
          <th scope="col">Who</th>
          <th scope="col">Action</th>
          <th scope="col">Target</th>
          <th scope="col">Reason</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} data-action={row.action}>
            <td>
              <time dateTime={row.createdAt.toISOString()}>{row.createdAt.toLocaleString("en-GB")}</time>
            </td>
            {showChannel && <td>{row.channelName ?? "—"}</td>}
            <td>{row.actorName ?? "system"}</td>
            <td>{describeAction(row)}</td>
            <td>{row.targetName ?? "—"}</td>
            <td>{row.reason ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function describeAction(row: TAuditRow): string {
  const name = ACTION_NAMES[row.action] ?? row.action;
  const details = (row.details ?? {}) as { seconds?: number; lines?: number };
  if (row.action === "timeout" && details.seconds) return `${name} (${details.seconds} s)`;
  if (row.action === "recording_delete")
    return `${name}: ${String((row.details as { title?: string }).title ?? "")}`;
  if ((row.details as { global?: boolean } | null)?.global) return `${name} from every chat`;
  if (row.action === "slow_mode")
    return details.seconds ? `${name} to ${details.seconds} s` : "turned slow mode off";
  return name;
}
