"use client";

import type { TChatMessage, TChatNotice, TChatRole } from "@relaycast/chat/protocol";
import { memo } from "react";
import { mentionsUser, tokenizeChatText } from "./chat-text.ts";
import { ModerationMenu, ReportMenu, type TModerate, type TReport } from "./moderation-menu.tsx";
import { nickColor } from "./nick-color.ts";

const REPLY_EXCERPT_CHARS = 80;

type ChatMessageLineProps = {
  message: TChatMessage;
  isDeleted: boolean;
  /** The line this one answers was deleted: its text is not repeated here. */
  isReplyParentDeleted: boolean;
  /** The viewer's username, for mentions; null for a guest. */
  username: string | null;
  /** Offered when the viewer may send. */
  onReply: ((message: TChatMessage) => void) | null;
  /** The viewer's power in this chat: a moderator's menus are on every line and name but their own. */
  role: TChatRole;
  onModerate: TModerate;
  /** Offered to a signed-in viewer on others' lines. */
  onReport: TReport | null;
};

/** One chat line, every part of it rendered as React text. */
export const ChatMessageLine = memo(function ChatMessageLine({
  message,
  isDeleted,
  isReplyParentDeleted,
  username,
  onReply,
  role,
  onModerate,
  onReport,
}: ChatMessageLineProps) {
  // The account's name, also for a web user whose IRC nick is `name|web`.
  const name = message.username ?? message.nick;
  const isOwn = username !== null && message.username === username;
  const isMention = !isDeleted && !isOwn && mentionsUser(message.text, username);
  // Guests' lines (no account) can be deleted, but a guest cannot be timed out or banned by name.
  const moderation = role && !isOwn && message.username ? { role, target: message.username } : null;
  const sentAt = new Date(message.sentAt);
  const className = [
    "chat-line",
    message.isAction && "is-action",
    isMention && "is-mention",
    isDeleted && "is-deleted",
  ]
    .filter(Boolean)
    .join(" ");
  return (
    <li className={className} data-testid="chat-line" data-msgid={message.id}>
      {message.replyTo && (
        <p className="chat-reply-context" data-testid="chat-reply-context">
          <span aria-hidden="true">↪ </span>replying to @{message.replyTo.nick}:{" "}
          {isReplyParentDeleted ? <em>a deleted message</em> : excerpt(message.replyTo.text)}
        </p>
      )}
      <span className="chat-nick" style={{ color: nickColor(name) }}>
        {moderation ? (
          <ModerationMenu username={moderation.target} role={moderation.role} onModerate={onModerate} />
        ) : (
          name
        )}
      </span>
      {message.isAction ? " " : <span className="chat-separator">: </span>}
      {isDeleted ? (
        <span className="chat-deleted">message deleted</span>
      ) : (
        <span className="chat-text">
          <ChatText text={message.text} username={username} />
        </span>
      )}
      <span className="chat-line-meta">
        <time dateTime={message.sentAt} title={sentAt.toLocaleString()}>
          {sentAt.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}
        </time>
        {onReply && !isDeleted && (
          <button
            type="button"
            className="chat-reply-button"
            aria-label={`Reply to ${name}`}
            onClick={() => onReply(message)}
          >
            Reply
          </button>
        )}
        {!moderation && onReport && !isOwn && !isDeleted && (
          <ReportMenu message={message} name={name} onReport={onReport} />
        )}
        {moderation && !isDeleted && (
          <ModerationMenu
            username={moderation.target}
            message={message}
            role={moderation.role}
            onModerate={onModerate}
          />
        )}
      </span>
    </li>
  );
});

export function ChatNoticeLine({ notice }: { notice: TChatNotice }) {
  return (
    <li className="chat-line chat-notice" data-testid="chat-notice" data-code={notice.code}>
      {notice.text}
    </li>
  );
}

function ChatText({ text, username }: { text: string; username: string | null }) {
  return tokenizeChatText(text, username).map((part, index) => {
    if (part.kind === "link")
      return (
        <a key={index} href={part.href} target="_blank" rel="noopener noreferrer nofollow ugc">
          {part.text}
        </a>
      );
    if (part.kind === "mention")
      return (
        <mark key={index} className="chat-mention">
          {part.text}
        </mark>
      );
    return part.text;
  });
}

function excerpt(text: string): string {
  const characters = [...text];
  return characters.length > REPLY_EXCERPT_CHARS
    ? `${characters.slice(0, REPLY_EXCERPT_CHARS).join("")}…`
    : text;
}
