"use client";

import type { TChatMessage, TChatRole, TModerationCommandInput } from "@relaycast/chat/protocol";

export type TModerate = (command: TModerationCommandInput) => void;

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
