import { z } from "zod";

/**
 * The socket.io protocol between the chat panel and the chat gateway. Client→server payloads are
 * zod schemas, checked on every event; server→client payloads are types the gateway builds.
 * Browser-safe: nothing here imports Node.
 */

export const CHAT_MESSAGE_MAX_CHARS = 500;
/** The last N lines a new viewer is sent. */
export const CHAT_HISTORY_SIZE = 100;

/** Sent in socket.io's handshake `auth`: which channel, and who (a token from the web app). */
export const ZChatHandshake = z.object({
  channel: z.string().regex(/^[a-z0-9_]{3,25}$/, "not a channel name"),
  token: z.string().min(1).max(2048).optional(),
});
export type TChatHandshake = z.infer<typeof ZChatHandshake>;

export const ZChatSend = z.object({
  text: z
    .string()
    .min(1)
    .max(CHAT_MESSAGE_MAX_CHARS * 4),
  /** msgid of the line this answers (InspIRCd's are like `0AA~1795537084~42`: nothing to escape in a tag). */
  replyTo: z
    .string()
    .regex(/^[A-Za-z0-9~_.:-]{1,100}$/)
    .optional(),
});
export type TChatSend = z.infer<typeof ZChatSend>;

export type TChatSendResult = { ok: true } | { ok: false; error: string };

export type TChatMessage = {
  /** IRCv3 msgid, unique network-wide. */
  id: string;
  channel: string;
  nick: string;
  /** The platform username when the nick is an account (an IRC token user or a web user), else null. */
  username: string | null;
  text: string;
  isAction: boolean;
  /** IRCv3 server-time, ISO 8601. */
  sentAt: string;
  replyTo: { id: string; nick: string; text: string } | null;
};

export type TChatViewer = {
  /** Null for an anonymous viewer, who reads but cannot send. */
  username: string | null;
  canSend: boolean;
};

/** Something IRC told the viewer unasked: kicked, banned, muted. (A refused line is answered in its ack.) */
export type TChatNotice = { code: "refused"; text: string };

export type TChatStatus = { irc: "connected" | "connecting" | "disconnected" };

export interface IChatServerToClient {
  "chat:ready": (viewer: TChatViewer) => void;
  "chat:history": (payload: { messages: TChatMessage[] }) => void;
  "chat:message": (message: TChatMessage) => void;
  "chat:delete": (payload: { id: string }) => void;
  "chat:notice": (notice: TChatNotice) => void;
  "chat:status": (status: TChatStatus) => void;
}

export interface IChatClientToServer {
  "chat:send": (payload: TChatSend, ack: (result: TChatSendResult) => void) => void;
}
