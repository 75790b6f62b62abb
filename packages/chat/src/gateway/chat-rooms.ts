import type { Logger } from "@relaycast/logger";
import type { IrcUserPool } from "../irc/irc-user-pool.ts";
import type { ChannelOperators } from "../moderation/channel-operators.ts";
import type { IChatRoom } from "../moderation/moderation-service.ts";
import type { TChatRole } from "../protocol.ts";
import type { ChannelHistory } from "./channel-history.ts";
import type { ChatMessageWriter } from "./chat-message-writer.ts";
import type { TChatServer, TRoomEvent } from "./chat-server.ts";

/** The socket.io room of a channel's viewers. */
export const channelRoom = (channel: string) => `channel:${channel}`;
/** A signed-in user's chats on this gateway, and their chats of one channel. */
export const userRoom = (userId: string, channel?: string) =>
  channel ? `user:${userId}:${channel}` : `user:${userId}`;

/**
 * What moderation shows web viewers: an event is applied on this gateway (its history, its writer,
 * its viewers) and, with the Redis adapter, on every other gateway.
 */
export function createRoomEvents({
  io,
  history,
  writer,
  users,
  operators,
  standingOf,
  hasPeers,
  log,
}: {
  io: TChatServer;
  history: ChannelHistory;
  writer: ChatMessageWriter;
  users: IrcUserPool;
  operators: ChannelOperators;
  standingOf: (channel: string, userId: string) => Promise<{ role: TChatRole; isBanned: boolean }>;
  hasPeers: boolean;
  log: Logger;
}) {
  /** Applies a room event on this gateway: its history, its writer, its viewers. */
  function applyRoomEvent(event: TRoomEvent) {
    if (event.type === "dropped") {
      users.drop(event.userId);
      return io.local.in(userRoom(event.userId)).disconnectSockets(true);
    }
    const room = io.local.to(channelRoom(event.channel));
    switch (event.type) {
      case "deleted":
        history.remove(event.channel, event.messageId);
        writer.markDeleted(event.messageId);
        return room.emit("chat:delete", { id: event.messageId });
      case "cleared":
        history.clear(event.channel);
        writer.markChannelCleared(event.channel);
        return room.emit("chat:clear");
      case "notice":
        return room.emit("chat:notice", { code: "moderation", text: event.text });
      case "held":
        return void showModerators(
          event.channel,
          `Held for moderators (a blocked term) — ${event.nick}: ${event.text}`,
        );
      case "roles":
        operators.forget(event.channel);
        return void refreshRoles(event.channel).catch((error: unknown) =>
          log.warn({ err: error, channel: event.channel }, "could not refresh chat roles"),
        );
    }
  }

  /** Viewers whose role changed get chat:ready again, so their menus follow. */
  async function refreshRoles(channel: string) {
    for (const socket of await io.local.in(channelRoom(channel)).fetchSockets()) {
      const { viewer } = socket.data;
      if (!viewer) continue;
      const { role } = await standingOf(channel, viewer.userId);
      if (role === socket.data.role) continue;
      socket.data.role = role;
      socket.emit("chat:ready", { username: viewer.username, canSend: !socket.data.isBanned, role });
    }
  }

  async function showModerators(channel: string, text: string) {
    for (const socket of await io.local.in(channelRoom(channel)).fetchSockets()) {
      if (socket.data.role) socket.emit("chat:notice", { code: "held", text });
    }
  }

  function publish(event: TRoomEvent) {
    applyRoomEvent(event);
    if (hasPeers) io.serverSideEmit("chat:room", event);
  }
  io.on("chat:room", (event: TRoomEvent) => applyRoomEvent(event));

  const room: IChatRoom = {
    deleted: (channel, messageId) => publish({ type: "deleted", channel, messageId }),
    cleared: (channel) => publish({ type: "cleared", channel }),
    notice: (channel, text) => publish({ type: "notice", channel, text }),
    rolesChanged: (channel) => publish({ type: "roles", channel }),
    held: (channel, nick, text) => publish({ type: "held", channel, nick, text }),
  };

  return {
    room,
    /** A line every gateway heard (from IRC) and holds back: each shows its own moderators. */
    heldHere: (channel: string, nick: string, text: string) =>
      applyRoomEvent({ type: "held", channel, nick, text }),
    /** A suspended account: its chats close on every gateway, and its IRC connections with them. */
    dropUser: (userId: string) => publish({ type: "dropped", userId }),
  };
}
