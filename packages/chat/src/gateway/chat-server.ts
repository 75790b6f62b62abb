import type { Server, Socket } from "socket.io";
import type { TIrcUserLease } from "../irc/irc-user-pool.ts";
import type { IChatClientToServer, IChatServerToClient, TChatRole } from "../protocol.ts";

/** A signed-in viewer of a chat connection; null for an anonymous one. */
export type TViewer = { userId: string; username: string } | null;

export type TSocketData = {
  channel: string;
  viewer: TViewer;
  role: TChatRole;
  isBanned: boolean;
  ip: string;
  lease: TIrcUserLease | null;
};

/** What one gateway tells the others about a channel's web side, or a user (over the Redis adapter). */
export type TRoomEvent =
  | { type: "deleted"; channel: string; messageId: string }
  | { type: "cleared"; channel: string }
  | { type: "notice"; channel: string; text: string }
  | { type: "roles"; channel: string }
  | { type: "held"; channel: string; nick: string; text: string }
  | { type: "dropped"; userId: string };

export type TPeerEvents = { "chat:room": (event: TRoomEvent) => void };
export type TChatServer = Server<IChatClientToServer, IChatServerToClient, TPeerEvents, TSocketData>;
export type TChatSocket = Socket<IChatClientToServer, IChatServerToClient, TPeerEvents, TSocketData>;
