import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import type { TrustedProxies } from "@relaycast/config";
import type { Logger } from "@relaycast/logger";
import { verifyChatToken } from "../chat-token.ts";
import type { ChannelReader } from "../irc/channel-reader.ts";
import { holdsChannelOp, type ChannelOperators } from "../moderation/channel-operators.ts";
import type { TModerationOutcome, TModerator } from "../moderation/moderation-service.ts";
import type { SlowMode } from "../moderation/slow-mode.ts";
import type { TIrcUserStatus } from "../irc/irc-user-connection.ts";
import type { IrcUserPool } from "../irc/irc-user-pool.ts";
import {
  CHAT_SLOW_MAX_SECONDS,
  ZChatHandshake,
  ZChatSend,
  ZChatReport,
  ZModerationCommand,
  type TChatReport,
  type TChatRole,
  type TChatSendResult,
  type TChatStatus,
  type TModerationCommand,
  type TModerationResult,
} from "../protocol.ts";
import { describeSeconds } from "../text/describe-seconds.ts";
import { MemoryRateLimiter, type IRateLimiter } from "../rate-limit/rate-limiter.ts";
import { readChatInput } from "../translate/chat-input.ts";
import type { ChannelHistory } from "./channel-history.ts";
import type { ChatMessageWriter } from "./chat-message-writer.ts";
import { channelRoom, createRoomEvents, userRoom } from "./chat-rooms.ts";
import type { TChatServer, TChatSocket, TViewer } from "./chat-server.ts";
import { clientAddress } from "./client-address.ts";

export type TChatGatewayOptions = {
  reader: ChannelReader;
  users: IrcUserPool;
  history: ChannelHistory;
  writer: ChatMessageWriter;
  channelExists: (channel: string) => Promise<boolean>;
  /** A signed-in viewer's role in a channel, and whether they are banned from its chat. */
  standingOf: (channel: string, userId: string) => Promise<{ role: TChatRole; isBanned: boolean }>;
  /** Why a signed-in viewer may not speak in a channel now (a ban, a timeout), or null. */
  restrictionOf: (channel: string, userId: string) => Promise<string | null>;
  /** A viewer's report of a line: queued for the channel's moderators. */
  report: (
    reporter: { userId: string; username: string },
    channel: string,
    line: { id: string; nick: string; text: string },
    reason: TChatReport["reason"],
  ) => Promise<TModerationResult>;
  /** Every moderation act of the web chat goes to the one moderation service. */
  moderate: (actor: TModerator, channel: string, command: TModerationCommand) => Promise<TModerationOutcome>;
  operators: ChannelOperators;
  slowMode: SlowMode;
  /** Whether other gateways share the rooms (the Redis adapter): room events are relayed to them. */
  hasPeers: boolean;
  tokenSecret: string;
  /** Per signed-in user, shared across gateways when Redis is configured. */
  userLimiter: IRateLimiter;
  maxConnectionsPerIp: number;
  /** Whose X-Forwarded-For names the viewer (the web server's chat proxy). */
  trustedProxies: TrustedProxies;
  /** What the gateway's metrics count. */
  observe?: ChatGatewayObserver;
  log: Logger;
};

/** Why a web user's line was not sent, as the metrics count it. */
export type TChatRefusal =
  | "flood"
  | "unreadable"
  | "signed-out"
  | "invalid"
  | "restricted"
  | "held"
  | "rate-limit"
  | "rejoin"
  | "irc-unavailable";

export type ChatGatewayObserver = {
  /** A handler failed unexpectedly (the sender was answered with an error). */
  handlerError(event: string): void;
  /** A web user's line went to IRC. */
  sent(): void;
  /** A line heard on IRC went to this gateway's viewers of its channel. */
  delivered(): void;
  refused(reason: TChatRefusal): void;
};

/** How long a channel's history stays in memory after its last viewer here leaves. */
const CHANNEL_LINGER_MS = 60_000;
/** Any client event, per connection: generous for a person, tight for a script. */
const EVENTS_PER_CONNECTION = { limit: 10, windowMs: 5_000 };
const CONNECTS_PER_IP = { limit: 60, windowMs: 60_000 };

/**
 * The socket.io side of chat. A browser connects for one channel (with a chat token when signed
 * in); the gateway's reader hears the IRC channel and every line goes to the channel's room here.
 * A signed-in viewer speaks through their own IRC connection. Lines reach viewers through the
 * reader only, so the web sees exactly what IRC saw, with IRC's msgid and server-time.
 */
export function createChatGateway(httpServer: HttpServer, options: TChatGatewayOptions) {
  const { reader, users, history, writer, log } = options;
  const io: TChatServer = new Server(httpServer, {
    path: "/socket.io",
    serveClient: false,
    maxHttpBufferSize: 16 * 1024,
    pingInterval: 20_000,
    pingTimeout: 20_000,
  });
  const eventLimiter = new MemoryRateLimiter(EVENTS_PER_CONNECTION);
  const connectLimiter = new MemoryRateLimiter(CONNECTS_PER_IP);
  const connectionsPerIp = new Map<string, number>();
  const viewersPerChannel = new Map<string, number>();
  const lingering = new Map<string, NodeJS.Timeout>();
  /** Channels known to exist; names that do not are looked up again, so junk names cost no memory. */
  const knownChannels = new Set<string>();

  async function channelExists(channel: string): Promise<boolean> {
    if (knownChannels.has(channel)) return true;
    const exists = await options.channelExists(channel);
    if (exists) knownChannels.add(channel);
    return exists;
  }

  /** Reading needs the reader; a signed-in viewer's sending needs their own connection too. */
  function ircStatus(userStatus: TIrcUserStatus | null): TChatStatus {
    return { irc: reader.isConnected ? (userStatus ?? "connected") : "disconnected" };
  }

  reader.on("line", (line) => {
    // A chatter (not an operator) who spoke too soon in slow mode, or used a blocked term: IRC
    // clients saw the line; the web and history do not, and moderators see a held one.
    const operators = options.operators.peek(line.channel);
    const isChatter = operators !== null && !(line.username && holdsChannelOp(operators, line.username));
    if (
      isChatter &&
      line.username &&
      !options.slowMode.pass(line.channel, line.username, operators.slowSeconds)
    ) {
      return;
    }
    if (isChatter && operators.blockedTermIn(line.text) !== null) {
      return heldHere(line.channel, line.nick, line.text);
    }
    const message = history.add(line);
    writer.add(line);
    io.local.to(channelRoom(line.channel)).emit("chat:message", message);
    options.observe?.delivered();
  });

  const slowModePrune = setInterval(() => options.slowMode.prune(CHAT_SLOW_MAX_SECONDS), 60_000);
  slowModePrune.unref();

  const { room, dropUser, heldHere } = createRoomEvents({
    io,
    history,
    writer,
    users,
    operators: options.operators,
    standingOf: options.standingOf,
    hasPeers: options.hasPeers,
    log,
  });

  reader.on("status", () => {
    for (const socket of io.of("/").sockets.values()) {
      socket.emit("chat:status", ircStatus(socket.data.lease?.status() ?? null));
    }
  });
  users.on("status", (userId, status) => {
    io.local.to(userRoom(userId)).emit("chat:status", ircStatus(status));
  });
  users.on("refused", (userId, refusal) => {
    const room = userRoom(userId, refusal.channel ?? undefined);
    io.local.to(room).emit("chat:notice", { code: "refused", text: refusal.reason });
  });

  io.use((socket, next) => {
    admit(socket).then(
      (refusal) => next(refusal),
      (error: unknown) => {
        log.warn({ err: error }, "chat connection could not be admitted");
        options.observe?.handlerError("connection");
        next(new Error("chat is unavailable"));
      },
    );
  });

  /** Checks a new connection: resolves to undefined to admit it, or to the Error it is refused with. */
  async function admit(socket: TChatSocket): Promise<Error | undefined> {
    const handshake = ZChatHandshake.safeParse(socket.handshake.auth);
    if (!handshake.success) return new Error("invalid handshake: expected { channel, token? }");
    const ip = clientAddress(socket.handshake, options.trustedProxies);
    if (
      !(await connectLimiter.consume(ip)).allowed ||
      (connectionsPerIp.get(ip) ?? 0) >= options.maxConnectionsPerIp
    ) {
      return new Error("too many chat connections from your address");
    }
    const { channel, token } = handshake.data;
    const viewer = token ? verifyChatToken(token, options.tokenSecret) : null;
    if (token && !viewer) return new Error("chat token invalid or expired");
    if (!(await channelExists(channel))) return new Error("no such channel");
    const standing = viewer
      ? await options.standingOf(channel, viewer.userId)
      : { role: null, isBanned: false };
    socket.data = { channel, viewer, ip, lease: null, ...standing };
    return undefined;
  }

  io.on("connection", (socket: TChatSocket) => {
    guarded("connection", socket, () => onConnection(socket));
  });

  /** Runs a synchronous handler; what it throws is logged and counted and ends that connection, never the process. */
  function guarded(event: string, socket: TChatSocket, handler: () => void) {
    try {
      handler();
    } catch (error) {
      log.error({ err: error, event, channel: socket.data.channel }, "chat handler failed");
      options.observe?.handlerError(event);
      socket.disconnect(true);
    }
  }

  function onConnection(socket: TChatSocket) {
    const { channel, viewer, ip } = socket.data;
    connectionsPerIp.set(ip, (connectionsPerIp.get(ip) ?? 0) + 1);
    openChannel(channel);
    void socket.join(channelRoom(channel));
    const { role, isBanned } = socket.data;
    if (viewer) {
      // A banned viewer reads, as anyone may, but gets no IRC connection in the channel.
      if (!isBanned) {
        socket.data.lease = users.acquire({ id: viewer.userId, username: viewer.username }, ip, channel);
      }
      void socket.join([userRoom(viewer.userId), userRoom(viewer.userId, channel)]);
    }
    socket.emit("chat:ready", {
      username: viewer?.username ?? null,
      canSend: viewer !== null && !isBanned,
      role,
    });
    if (isBanned) socket.emit("chat:notice", { code: "refused", text: "You are banned from this chat." });
    socket.emit("chat:status", ircStatus(socket.data.lease?.status() ?? null));
    history.open(channel).then(
      () => socket.emit("chat:history", { messages: history.recent(channel) }),
      (error: unknown) => {
        log.warn({ err: error, channel }, "could not load chat history");
        socket.emit("chat:history", { messages: [] });
      },
    );

    socket.on("chat:send", (payload, ack) => {
      const reply = typeof ack === "function" ? ack : () => {};
      send(socket, payload, reply).catch((error: unknown) => {
        log.warn({ err: error, channel }, "chat:send failed");
        options.observe?.handlerError("chat:send");
        reply({ ok: false, error: "Chat is unavailable right now; your message was not sent." });
      });
    });

    socket.on("chat:moderate", (payload, ack) => {
      const reply = typeof ack === "function" ? ack : () => {};
      moderateFrom(socket, payload).then(reply, (error: unknown) => {
        log.warn({ err: error, channel }, "chat:moderate failed");
        options.observe?.handlerError("chat:moderate");
        reply({ ok: false, error: "Moderation is unavailable right now." });
      });
    });

    socket.on("chat:report", (payload, ack) => {
      const reply = typeof ack === "function" ? ack : () => {};
      reportFrom(socket, payload).then(reply, (error: unknown) => {
        log.warn({ err: error, channel }, "chat:report failed");
        options.observe?.handlerError("chat:report");
        reply({ ok: false, error: "Reports are unavailable right now." });
      });
    });

    socket.on("disconnect", () =>
      guarded("disconnect", socket, () => {
        const left = (connectionsPerIp.get(ip) ?? 1) - 1;
        if (left > 0) connectionsPerIp.set(ip, left);
        else connectionsPerIp.delete(ip);
        socket.data.lease?.release();
        closeChannel(channel);
      }),
    );
  }

  /** A refused line is answered in the ack, to its sender only; nobody else sees anything. */
  async function send(socket: TChatSocket, payload: unknown, ack: (result: TChatSendResult) => void) {
    const refuse = (reason: TChatRefusal, error: string) => {
      options.observe?.refused(reason);
      ack({ ok: false, error });
    };
    if (!(await eventLimiter.consume(socket.id)).allowed) {
      return refuse("flood", "Slow down: too many requests.");
    }
    const parsed = ZChatSend.safeParse(payload);
    if (!parsed.success) return refuse("unreadable", "That message could not be read.");
    const { viewer, lease, channel } = socket.data;
    if (!viewer) return refuse("signed-out", "Sign in to chat.");
    const input = readChatInput(parsed.data.text);
    if (!input.ok) return refuse("invalid", input.error);
    if (input.kind === "command") {
      const result = await moderate(socket, input.command);
      // An act is announced to the whole chat, its sender included; /mods answers only them.
      return ack(result.ok && input.command.type !== "mods" ? { ok: true } : result);
    }
    const operators = await options.operators.get(channel);
    const isChatter = operators !== null && !holdsChannelOp(operators, viewer.username);
    const refusal = await whyNotNow(channel, viewer, isChatter ? operators.slowSeconds : 0);
    if (refusal) return refuse("restricted", refusal);
    if (isChatter && operators.blockedTermIn(input.text)) {
      room.held(channel, viewer.username, input.text);
      return refuse("held", "Your message is held for the moderators: it has a term this chat blocks.");
    }
    // Banned when the chat opened (no IRC connection in the channel), unbanned since: a reload rejoins.
    if (!lease) return refuse("rejoin", "Reload the page to chat again.");
    const decision = await options.userLimiter.consume(viewer.userId);
    if (!decision.allowed) {
      const seconds = Math.ceil(decision.retryAfterMs / 1000);
      return refuse("rate-limit", `You are sending messages too quickly. Try again in ${seconds} s.`);
    }
    try {
      // Bounded: an IRC connection that is not registered within 15 s rejects.
      await lease.say({ text: input.text, isAction: input.isAction, replyTo: parsed.data.replyTo });
      options.observe?.sent();
      ack({ ok: true });
    } catch (error) {
      log.warn({ err: error, channel }, "could not send a chat line to IRC");
      refuse("irc-unavailable", "Chat is reconnecting; your message was not sent.");
    }
  }

  /** A ban, a timeout or slow mode (`slowSeconds`, 0 for operators), as the sender is told; null when they may speak. */
  async function whyNotNow(
    channel: string,
    viewer: NonNullable<TViewer>,
    slowSeconds: number,
  ): Promise<string | null> {
    const restriction = await options.restrictionOf(channel, viewer.userId);
    if (restriction) return restriction;
    const waitMs = options.slowMode.waitMs(channel, viewer.username, slowSeconds);
    if (waitMs <= 0) return null;
    return `Slow mode is on (one message every ${describeSeconds(slowSeconds)}): wait ${Math.ceil(waitMs / 1000)} s.`;
  }

  async function moderateFrom(socket: TChatSocket, payload: unknown): Promise<TModerationResult> {
    if (!(await eventLimiter.consume(socket.id)).allowed) {
      return { ok: false, error: "Slow down: too many requests." };
    }
    const parsed = ZModerationCommand.safeParse(payload);
    if (!parsed.success) return { ok: false, error: "That moderation request could not be read." };
    return moderate(socket, parsed.data);
  }

  async function reportFrom(socket: TChatSocket, payload: unknown): Promise<TModerationResult> {
    if (!(await eventLimiter.consume(socket.id)).allowed) {
      return { ok: false, error: "Slow down: too many requests." };
    }
    const parsed = ZChatReport.safeParse(payload);
    if (!parsed.success) return { ok: false, error: "That report could not be read." };
    const { viewer, channel } = socket.data;
    if (!viewer) return { ok: false, error: "Sign in to report a message." };
    const line = history.find(channel, parsed.data.messageId);
    if (!line) return { ok: false, error: "That message is gone already." };
    return options.report(viewer, channel, line, parsed.data.reason);
  }

  async function moderate(socket: TChatSocket, command: TModerationCommand): Promise<TModerationResult> {
    const { viewer, channel } = socket.data;
    if (!viewer) return { ok: false, error: "Sign in to moderate." };
    const outcome = await options.moderate(viewer, channel, command);
    return outcome.ok ? outcome : { ok: false, error: outcome.error };
  }

  function openChannel(channel: string) {
    clearTimeout(lingering.get(channel));
    lingering.delete(channel);
    const viewers = (viewersPerChannel.get(channel) ?? 0) + 1;
    viewersPerChannel.set(channel, viewers);
    if (viewers > 1) return;
    reader
      .watch(channel)
      .catch((error: unknown) => log.warn({ err: error, channel }, "reader could not join"));
  }

  function closeChannel(channel: string) {
    const viewers = (viewersPerChannel.get(channel) ?? 1) - 1;
    if (viewers > 0) return void viewersPerChannel.set(channel, viewers);
    viewersPerChannel.delete(channel);
    lingering.set(
      channel,
      setTimeout(() => {
        lingering.delete(channel);
        history.close(channel);
      }, CHANNEL_LINGER_MS).unref(),
    );
  }

  return {
    io,
    room,
    dropUser,
    async close() {
      clearInterval(slowModePrune);
      for (const timer of lingering.values()) clearTimeout(timer);
      eventLimiter.close();
      connectLimiter.close();
      await io.close();
    },
  };
}
