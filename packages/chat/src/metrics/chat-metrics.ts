import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";

export type ChatMetricsSource = {
  /** Chat lines heard on IRC and not yet saved to the database. */
  pendingHistoryLines(): number;
  /** Lines given up: dropped from the full buffer, or unsaved when the gateway stopped. */
  droppedHistoryLines(): number;
  historySaveFailures(): number;
  /** Open socket.io connections (web viewers) on this gateway. */
  socketConnections(): number;
  /** Open IRC connections: one per signed-in web user speaking, plus the reader's. */
  ircConnections(): number;
};

/** Prometheus metrics of one chat gateway, served as text at /metrics on the gateway's port. */
export class ChatMetrics {
  readonly registry = new Registry();
  readonly handlerErrors: Counter<"event">;
  readonly messages: Counter<"direction">;
  readonly refusals: Counter<"reason">;
  readonly moderationActions: Counter<"action">;

  constructor(source: ChatMetricsSource) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "relaycast_chat_" });
    new Gauge({
      name: "relaycast_chat_history_pending_lines",
      help: "Chat lines waiting to be saved to the database (grows while the database is down)",
      registers,
      collect() {
        this.set(source.pendingHistoryLines());
      },
    });
    new Counter({
      name: "relaycast_chat_history_dropped_lines_total",
      help: "Chat lines never saved: dropped from a full buffer, or still unsaved when the gateway stopped",
      registers,
      collect() {
        this.reset();
        this.inc(source.droppedHistoryLines());
      },
    });
    new Counter({
      name: "relaycast_chat_history_save_failures_total",
      help: "Failed attempts to save a batch of chat lines",
      registers,
      collect() {
        this.reset();
        this.inc(source.historySaveFailures());
      },
    });
    new Gauge({
      name: "relaycast_chat_socket_connections",
      help: "Open socket.io connections (web chat viewers) on this gateway",
      registers,
      collect() {
        this.set(source.socketConnections());
      },
    });
    new Gauge({
      name: "relaycast_chat_irc_connections",
      help: "Open IRC connections of this gateway: its reader and one per signed-in web user in a chat",
      registers,
      collect() {
        this.set(source.ircConnections());
      },
    });
    this.messages = new Counter({
      name: "relaycast_chat_messages_total",
      help: "Chat lines: in, sent by this gateway's web users to IRC; out, heard on IRC and given to its web viewers",
      labelNames: ["direction"],
      registers,
    });
    this.refusals = new Counter({
      name: "relaycast_chat_refusals_total",
      help: "Lines from web users that were not sent, by reason",
      labelNames: ["reason"],
      registers,
    });
    this.moderationActions = new Counter({
      name: "relaycast_chat_moderation_actions_total",
      help: "Moderation acts carried out through this gateway (web chat, dashboards, API), by action",
      labelNames: ["action"],
      registers,
    });
    this.handlerErrors = new Counter({
      name: "relaycast_chat_handler_errors_total",
      help: "Socket.io handlers that failed unexpectedly and answered the sender with an error",
      labelNames: ["event"],
      registers,
    });
  }
}
