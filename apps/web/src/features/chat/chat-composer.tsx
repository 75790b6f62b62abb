"use client";

import { CHAT_MESSAGE_MAX_CHARS, type TChatSend, type TChatSendResult } from "@relaycast/chat/protocol";
import Link from "next/link";
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";

export type TReplyTarget = { id: string; nick: string };

/** What the viewer can do: send, wait for the connection, sign in first, or nothing (banned, suspended). */
export type TComposerMode = "ready" | "connecting" | "anonymous" | "blocked";

type ChatComposerProps = {
  mode: TComposerMode;
  loginHref: string;
  replyTo: TReplyTarget | null;
  onCancelReply: () => void;
  onSend: (payload: TChatSend) => Promise<TChatSendResult>;
};

const PLACEHOLDERS: Record<TComposerMode, string> = {
  ready: "Send a message",
  connecting: "Connecting to chat…",
  anonymous: "Sign in to chat",
  blocked: "You cannot send messages here right now",
};

/** The chat input: Enter sends, 500 characters at most, the gateway's refusal shown under it. */
export function ChatComposer({ mode, loginHref, replyTo, onCancelReply, onSend }: ChatComposerProps) {
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [isSending, setIsSending] = useState(false);
  const length = [...text].length;
  const isOver = length > CHAT_MESSAGE_MAX_CHARS;
  const canSend = mode === "ready";

  useEffect(() => {
    if (replyTo) inputRef.current?.focus();
  }, [replyTo]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const message = text.trim();
    if (!canSend || !message || isOver || isSending) return;
    setIsSending(true);
    setError(null);
    const result = await onSend(replyTo ? { text: message, replyTo: replyTo.id } : { text: message });
    setIsSending(false);
    if (result.ok) {
      setText("");
      onCancelReply();
    } else {
      setError(result.error);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "Escape" && replyTo) onCancelReply();
  }

  return (
    <form className="chat-composer" onSubmit={submit} aria-label="Send a chat message">
      {replyTo && canSend && (
        <p className="chat-replying" data-testid="chat-replying">
          Replying to @{replyTo.nick}
          <button type="button" className="link-button" onClick={onCancelReply} aria-label="Cancel reply">
            ✕
          </button>
        </p>
      )}
      <div className="chat-input-row">
        <label htmlFor={`${id}-input`} className="visually-hidden">
          Chat message
        </label>
        <input
          ref={inputRef}
          id={`${id}-input`}
          name="message"
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setError(null);
          }}
          onKeyDown={onKeyDown}
          placeholder={PLACEHOLDERS[mode]}
          disabled={!canSend}
          autoComplete="off"
          enterKeyHint="send"
          aria-invalid={isOver || undefined}
          aria-describedby={`${id}-counter${error ? ` ${id}-error` : ""}`}
        />
        <button type="submit" disabled={!canSend || isOver || isSending || text.trim() === ""}>
          Chat
        </button>
      </div>
      <div className="chat-composer-footer">
        {mode === "anonymous" ? <Link href={loginHref}>Sign in to chat</Link> : <span />}
        <span id={`${id}-counter`} className={isOver ? "chat-counter over" : "chat-counter"}>
          {length}/{CHAT_MESSAGE_MAX_CHARS}
        </span>
      </div>
      {error && (
        <p id={`${id}-error`} role="alert" className="chat-send-error">
          {error}
        </p>
      )}
    </form>
  );
}
