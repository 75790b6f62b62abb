"use client";

import type {
  IChatClientToServer,
  IChatServerToClient,
  TChatSend,
  TChatSendResult,
  TChatStatus,
  TChatViewer,
  TChatReport,
  TModerationCommandInput,
  TModerationResult,
} from "@relaycast/chat/protocol";
import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import {
  chatLinesReducer,
  initialChatLines,
  type TChatLinesAction,
  type TChatLinesState,
} from "./chat-lines.ts";

type TChatSocket = Socket<IChatServerToClient, IChatClientToServer>;

/** Where the panel's connection stands; `refused` when the gateway turned the handshake down. */
export type TChatConnection =
  | { state: "connecting" }
  | { state: "connected" }
  | { state: "reconnecting" }
  | { state: "refused"; reason: string };

export type TChatOptions = {
  channel: string;
  /** Fetch a chat token before each connect, so the viewer speaks as their account. */
  isSignedIn: boolean;
};

export type TChat = {
  lines: TChatLinesState;
  dispatch: (action: TChatLinesAction) => void;
  /** Who the gateway says the viewer is; null until it has said so. */
  viewer: TChatViewer | null;
  connection: TChatConnection;
  irc: TChatStatus["irc"] | null;
  send: (payload: TChatSend) => Promise<TChatSendResult>;
  /** A moderator's act from a menu; its outcome shows in the chat. */
  moderate: (command: TModerationCommandInput) => Promise<TModerationResult>;
  /** A viewer's report of a line to the channel's moderators. */
  report: (report: TChatReport) => Promise<TModerationResult>;
};

const SEND_TIMEOUT_MS = 10_000;
/** After a refused handshake socket.io stops retrying; the panel tries again after this long. */
const RETRY_REFUSED_MS = 15_000;

/** One socket.io connection to the chat gateway, through the web origin, for one channel. */
export function useChat({ channel, isSignedIn }: TChatOptions): TChat {
  const [lines, dispatch] = useReducer(chatLinesReducer, initialChatLines);
  const [viewer, setViewer] = useState<TChatViewer | null>(null);
  const [connection, setConnection] = useState<TChatConnection>({ state: "connecting" });
  const [irc, setIrc] = useState<TChatStatus["irc"] | null>(null);
  const socketRef = useRef<TChatSocket | null>(null);

  useEffect(() => {
    const socket: TChatSocket = io({
      path: "/socket.io",
      transports: ["websocket", "polling"],
      // Behind a proxy that blocks WebSocket, fall back to long-polling.
      tryAllTransports: true,
      // Called before every connect and reconnect: a signed-in viewer's token lives five minutes.
      auth: (send) => void handshakeAuth(channel, isSignedIn).then(send),
    });
    socketRef.current = socket;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;

    socket.on("connect", () => setConnection({ state: "connected" }));
    const retryLater = (reason: string) => {
      setConnection({ state: "refused", reason });
      clearTimeout(retryTimer);
      retryTimer = setTimeout(() => socket.connect(), RETRY_REFUSED_MS);
    };
    socket.on("disconnect", (reason) => {
      setIrc(null);
      // socket.io reconnects by itself unless the gateway itself closed the connection.
      if (socket.active) setConnection({ state: "reconnecting" });
      else if (reason === "io server disconnect") retryLater("The chat server closed the connection.");
    });
    socket.on("connect_error", (error) => {
      if (socket.active) {
        setConnection((current) => (current.state === "connecting" ? current : { state: "reconnecting" }));
      } else {
        retryLater(`Chat refused the connection: ${error.message}.`);
      }
    });
    socket.on("chat:ready", setViewer);
    socket.on("chat:history", ({ messages }) => dispatch({ type: "history", messages }));
    socket.on("chat:message", (message) => dispatch({ type: "message", message }));
    socket.on("chat:delete", ({ id }) => dispatch({ type: "delete", id }));
    socket.on("chat:clear", () => dispatch({ type: "clear" }));
    socket.on("chat:notice", (notice) => dispatch({ type: "notice", notice, at: new Date().toISOString() }));
    socket.on("chat:status", (status) => setIrc(status.irc));

    return () => {
      clearTimeout(retryTimer);
      socket.close();
      socketRef.current = null;
    };
  }, [channel, isSignedIn]);

  const send = useCallback((payload: TChatSend): Promise<TChatSendResult> => {
    const socket = socketRef.current;
    if (!socket?.connected) return Promise.resolve({ ok: false, error: "Not connected to chat yet." });
    return new Promise((resolve) => {
      socket.timeout(SEND_TIMEOUT_MS).emit("chat:send", payload, (error, result) => {
        resolve(error ? { ok: false, error: "Chat did not answer. Try again." } : result);
      });
    });
  }, []);

  const moderate = useCallback((command: TModerationCommandInput): Promise<TModerationResult> => {
    const socket = socketRef.current;
    if (!socket?.connected) return Promise.resolve({ ok: false, error: "Not connected to chat yet." });
    return new Promise((resolve) => {
      socket.timeout(SEND_TIMEOUT_MS).emit("chat:moderate", command, (error, result) => {
        resolve(error ? { ok: false, error: "Chat did not answer. Try again." } : result);
      });
    });
  }, []);

  const report = useCallback((payload: TChatReport): Promise<TModerationResult> => {
    const socket = socketRef.current;
    if (!socket?.connected) return Promise.resolve({ ok: false, error: "Not connected to chat yet." });
    return new Promise((resolve) => {
      socket.timeout(SEND_TIMEOUT_MS).emit("chat:report", payload, (error, result) => {
        resolve(error ? { ok: false, error: "Chat did not answer. Try again." } : result);
      });
    });
  }, []);

  return { lines, dispatch, viewer, connection, irc, send, moderate, report };
}

/** The handshake: the channel, and for a signed-in viewer a fresh token (none when that fails). */
async function handshakeAuth(
  channel: string,
  isSignedIn: boolean,
): Promise<{ channel: string; token?: string }> {
  if (!isSignedIn) return { channel };
  try {
    const response = await fetch("/api/v1/chat/token", { cache: "no-store", credentials: "same-origin" });
    if (!response.ok) return { channel };
    const { token } = (await response.json()) as { token?: unknown };
    return typeof token === "string" ? { channel, token } : { channel };
  } catch {
    return { channel };
  }
}
