"use client";

import type { TChatMessage, TChatReport, TChatRole, TModerationCommandInput } from "@relaycast/chat/protocol";

export type TModerate = (command: TModerationCommandInput) => void;
export type TReport = (report: TChatReport) => void;

const REPORT_REASONS: { reason: TChatReport["reason"]; label: string }[] = [
  { reason: "spam", label: "Report spam" },
  { reason: "harassment", label: "Report harassment" },
  { reason: "hate", label: "Report hate speech" },
  { reason: "other", label: "Report something else" },
];

/** A viewer's menu on someone else's line: report it to the channel's moderators, with a reason. */
export function ReportMenu({
  message,
  name,
  onReport,
}: {
  message: TChatMessage;
  name: string;
  onReport: TReport;
}) {
  return (
    <details className="chat-mod-menu" data-testid="chat-report-menu">
      <summary aria-label={`Report this message from ${name}`}>⋯</summary>
      <div className="chat-mod-actions" role="menu">
        {REPORT_REASONS.map(({ reason, label }) => (
          <MenuItem key={reason} label={label} onSelect={() => onReport({ messageId: message.id, reason })} />
        ))}
      </div>
    </details>
  );
}

type ModerationMenuProps = {
  /** Whose line or name the menu is on. */
  username: string;
  /** The line the menu is on; absent on a name. */
  message?: TChatMessage;
  role: NonNullable<TChatRole>;
  onModerate: TModerate;
};

/**
 * A moderator's menu on a chat line or a name: what the moderation service allows a role (the
 * service checks again; a refusal shows in the chat). Reasons and other durations go by slash command.
 */
export function ModerationMenu({ username, message, role, onModerate }: ModerationMenuProps) {
  const canAppoint = role === "owner" || role === "admin";
  return (
    <details className="chat-mod-menu" data-testid="chat-mod-menu">
      <summary aria-label={message ? `Moderate this message from ${username}` : `Moderate ${username}`}>
        {message ? "⋯" : username}
      </summary>
      <div className="chat-mod-actions" role="menu">
        {message && (
          <MenuItem
            label="Delete message"
            onSelect={() => onModerate({ type: "delete", messageId: message.id })}
          />
        )}
        <MenuItem
          label="Timeout 10 min"
          onSelect={() => onModerate({ type: "timeout", username, seconds: 600 })}
        />
        <MenuItem label="Ban" onSelect={() => onModerate({ type: "ban", username })} />
        {canAppoint && (
          <MenuItem label="Make moderator" onSelect={() => onModerate({ type: "mod", username })} />
        )}
      </div>
    </details>
  );
}

function MenuItem({ label, onSelect }: { label: string; onSelect: () => void }) {
  return (
    <button
      type="button"
      role="menuitem"
      onClick={(event) => {
        event.currentTarget.closest("details")?.removeAttribute("open");
        onSelect();
      }}
    >
      {label}
    </button>
  );
}
