"use client";

import type {
  TChatMessage,
  TChatReport,
  TChatSend,
  TChatSendResult,
  TChatStatus,
  TChatViewer,
  TModerationCommandInput,
} from "@relaycast/chat/protocol";
import { useCallback, useLayoutEffect, useMemo, useRef, useState, type MouseEvent } from "react";
import { ChatComposer, type TComposerMode, type TReplyTarget } from "./chat-composer.tsx";
import { ChatMessageLine, ChatNoticeLine } from "./chat-line.tsx";
import { useChat, type TChatConnection } from "./use-chat.ts";

/** Beside the player, in its own window, or as an OBS browser source (read-only, transparent). */
export type TChatVariant = "embedded" | "popout" | "obs";

type ChatPanelProps = {
  channel: string;
  /** The signed-in viewer's username as the page knows it; null for a guest. */
  viewerUsername: string | null;
  variant?: TChatVariant;
};

/** How close to the bottom still counts as following the chat. */
const STICK_THRESHOLD_PX = 32;
const POPOUT_FEATURES = "popup,width=400,height=720";

export function ChatPanel({ channel, viewerUsername, variant = "embedded" }: ChatPanelProps) {
  const isObs = variant === "obs";
  const chat = useChat({ channel, isSignedIn: !isObs && viewerUsername !== null });
  const { lines, isPaused, unseen } = chat.lines;
  const [replyTo, setReplyTo] = useState<TReplyTarget | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  // Once the gateway has said who the viewer is, its word counts (an expired session reads as a guest).
  const username = chat.viewer ? chat.viewer.username : viewerUsername;
  const mode = composerMode(chat.connection, chat.viewer, username);
  const status = statusText(chat.connection, chat.irc);
  const { dispatch } = chat;

  useLayoutEffect(() => {
    const list = listRef.current;
    if (list && !isPaused) list.scrollTop = list.scrollHeight;
  }, [lines, isPaused]);

  const deletedIds = useMemo(
    () => new Set(lines.flatMap((line) => (line.kind === "message" && line.isDeleted ? [line.id] : []))),
    [lines],
  );
  const { moderate, send, report } = chat;
  const onModerate = useCallback(
    (command: TModerationCommandInput) => {
      void moderate(command).then((result) => {
        // A done act is announced to everyone; a refusal only here.
        if (!result.ok)
          dispatch({
            type: "notice",
            notice: { code: "refused", text: result.error },
            at: new Date().toISOString(),
          });
      });
    },
    [moderate, dispatch],
  );
  const onReport = useCallback(
    (payload: TChatReport) => {
      void report(payload).then((result) => {
        const notice = result.ok
          ? { code: "info" as const, text: result.text }
          : { code: "refused" as const, text: result.error };
        dispatch({ type: "notice", notice, at: new Date().toISOString() });
      });
    },
    [report, dispatch],
  );
  const onSend = useCallback(
    async (payload: TChatSend): Promise<TChatSendResult> => {
      const result = await send(payload);
      // What a slash command answers only its sender (/mods) shows as a line of the chat's own.
      if (result.ok && result.text)
        dispatch({
          type: "notice",
          notice: { code: "info", text: result.text },
          at: new Date().toISOString(),
        });
      return result;
    },
    [send, dispatch],
  );
  const onReply = useCallback(
    (message: TChatMessage) => setReplyTo({ id: message.id, nick: message.username ?? message.nick }),
    [],
  );

  function onScroll() {
    const list = listRef.current;
    if (!list) return;
    const isAtBottom = list.scrollHeight - list.scrollTop - list.clientHeight <= STICK_THRESHOLD_PX;
    if (isAtBottom === isPaused) dispatch({ type: "scrolled", isAtBottom });
  }

  function popOut(event: MouseEvent<HTMLAnchorElement>) {
    const popup = window.open(event.currentTarget.href, `relaycast-chat-${channel}`, POPOUT_FEATURES);
    if (popup) event.preventDefault();
  }

  // Beside the player it is complementary content; alone in its window it is the page.
  const Root = variant === "embedded" ? "aside" : "section";
  const Heading = variant === "popout" ? "h1" : "h2";
  return (
    <Root className={`chat-panel chat-${variant}`} aria-label="Chat" data-testid="chat-panel">
      {!isObs && (
        <header className="chat-header">
          <Heading>{variant === "popout" ? `${channel} chat` : "Chat"}</Heading>
          {variant === "embedded" && (
            <a href={`/${channel}/chat`} target="_blank" rel="noopener" onClick={popOut}>
              Pop out
            </a>
          )}
        </header>
      )}
      {status && !isObs && (
        <p className="chat-status" role="status" data-testid="chat-status">
          {status}
        </p>
      )}
      <div className="chat-log-wrap">
        <ol
          ref={listRef}
          className="chat-log"
          role="log"
          aria-live="polite"
          aria-label="Chat messages"
          tabIndex={0}
          onScroll={onScroll}
          data-testid="chat-log"
        >
          {lines.map((line) =>
            line.kind === "notice" ? (
              <ChatNoticeLine key={line.id} notice={line.notice} />
            ) : (
              <ChatMessageLine
                key={line.id}
                message={line.message}
                isDeleted={line.isDeleted}
                isReplyParentDeleted={
                  line.message.replyTo !== null && deletedIds.has(line.message.replyTo.id)
                }
                username={username}
                onReply={mode === "ready" ? onReply : null}
                role={isObs ? null : (chat.viewer?.role ?? null)}
                onModerate={onModerate}
                onReport={mode === "ready" ? onReport : null}
              />
            ),
          )}
        </ol>
        {isPaused && unseen > 0 && !isObs && (
          <button
            type="button"
            className="chat-new-messages"
            onClick={() => dispatch({ type: "scrolled", isAtBottom: true })}
          >
            {unseen === 1 ? "1 new message" : `${unseen > 999 ? "999+" : unseen} new messages`}
          </button>
        )}
      </div>
      {!isObs && (
        <ChatComposer
          mode={mode}
          loginHref={`/login?${new URLSearchParams({ next: variant === "popout" ? `/${channel}/chat` : `/${channel}` })}`}
          replyTo={replyTo}
          onCancelReply={() => setReplyTo(null)}
          onSend={onSend}
        />
      )}
    </Root>
  );
}

function composerMode(
  connection: TChatConnection,
  viewer: TChatViewer | null,
  username: string | null,
): TComposerMode {
  if (!username) return "anonymous";
  if (connection.state !== "connected" || !viewer) return "connecting";
  return viewer.canSend ? "ready" : "blocked";
}

function statusText(connection: TChatConnection, irc: TChatStatus["irc"] | null): string | null {
  switch (connection.state) {
    case "connecting":
      return "Connecting to chat…";
    case "reconnecting":
      return "Reconnecting to chat…";
    case "refused":
      return `${connection.reason} Trying again shortly…`;
    case "connected":
      if (irc === "connecting") return "Connecting to chat…";
      if (irc === "disconnected") return "Chat is unavailable. Reconnecting…";
      return null;
  }
}
