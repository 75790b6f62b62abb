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

/** `text`: what a slash command answers its sender only (/mods); acts are announced to everyone. */
export type TChatSendResult = { ok: true; text?: string } | { ok: false; error: string };

const ZUsername = z
  .string()
  .trim()
  .transform((name) => name.replace(/^@/, "").toLowerCase())
  .pipe(z.string().regex(/^[a-z0-9_]{3,25}$/, "not a username"));
const ZReason = z.string().trim().max(300).optional();
const ZMessageId = z.string().regex(/^[A-Za-z0-9~_.:-]{1,100}$/);
/** The longest timeout: two weeks. */
export const CHAT_TIMEOUT_MAX_SECONDS = 14 * 24 * 3600;
export const CHAT_TIMEOUT_DEFAULT_SECONDS = 600;
export const CHAT_SLOW_MAX_SECONDS = 3600;
/** A channel blocks at most this many terms, each at most this long. */
export const CHAT_BLOCKED_TERMS_MAX = 100;
export const CHAT_BLOCKED_TERM_MAX_CHARS = 50;

/** What a moderator does to a channel's chat, from a message's menu, a slash command or the dashboard. */
export const ZModerationCommand = z.discriminatedUnion("type", [
  z.object({ type: z.literal("delete"), messageId: ZMessageId }),
  z.object({
    type: z.literal("timeout"),
    username: ZUsername,
    seconds: z.int().min(1).max(CHAT_TIMEOUT_MAX_SECONDS).default(CHAT_TIMEOUT_DEFAULT_SECONDS),
    reason: ZReason,
  }),
  z.object({ type: z.literal("untimeout"), username: ZUsername }),
  z.object({ type: z.literal("ban"), username: ZUsername, reason: ZReason }),
  z.object({ type: z.literal("unban"), username: ZUsername }),
  z.object({ type: z.literal("slow"), seconds: z.int().min(1).max(CHAT_SLOW_MAX_SECONDS) }),
  z.object({ type: z.literal("slowoff") }),
  z.object({ type: z.literal("clear") }),
  z.object({ type: z.literal("mod"), username: ZUsername }),
  z.object({ type: z.literal("unmod"), username: ZUsername }),
  z.object({ type: z.literal("mods") }),
  /** The owner's list of blocked terms (the dashboard sets it). */
  z.object({
    type: z.literal("terms"),
    terms: z.array(z.string().trim().min(1).max(CHAT_BLOCKED_TERM_MAX_CHARS)).max(CHAT_BLOCKED_TERMS_MAX),
  }),
]);
export type TModerationCommand = z.output<typeof ZModerationCommand>;
export type TModerationCommandInput = z.input<typeof ZModerationCommand>;

/** A viewer reports a line to the channel's moderators. */
export const ZChatReport = z.object({
  messageId: ZMessageId,
  reason: z.enum(["spam", "harassment", "hate", "other"]),
});
export type TChatReport = z.infer<typeof ZChatReport>;

/** A moderation act's outcome for whoever asked: what happened, or why not. */
export type TModerationResult = { ok: true; text: string } | { ok: false; error: string };

/** A viewer's power in a channel's chat; null for a plain viewer. */
export type TChatRole = "admin" | "owner" | "moderator" | null;

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
  /** Owners, moderators and admins moderate: the chat shows them its moderation menus. */
  role: TChatRole;
};

/**
 * A line of the chat's own: `refused` (IRC refused the viewer something: kicked, banned, muted; a
 * refused line is answered in its ack), `moderation` (a moderator acted, shown to everyone),
 * `info` (an answer for the viewer only, such as /mods), `held` (to moderators: a line a blocked
 * term held back).
 */
export type TChatNotice = { code: "refused" | "moderation" | "info" | "held"; text: string };

export type TChatStatus = { irc: "connected" | "connecting" | "disconnected" };

export interface IChatServerToClient {
  "chat:ready": (viewer: TChatViewer) => void;
  "chat:history": (payload: { messages: TChatMessage[] }) => void;
  "chat:message": (message: TChatMessage) => void;
  "chat:delete": (payload: { id: string }) => void;
  /** A moderator cleared the chat: every line shown so far goes. */
  "chat:clear": () => void;
  "chat:notice": (notice: TChatNotice) => void;
  "chat:status": (status: TChatStatus) => void;
}

export interface IChatClientToServer {
  "chat:send": (payload: TChatSend, ack: (result: TChatSendResult) => void) => void;
  "chat:moderate": (command: TModerationCommandInput, ack: (result: TModerationResult) => void) => void;
  "chat:report": (report: TChatReport, ack: (result: TModerationResult) => void) => void;
}
