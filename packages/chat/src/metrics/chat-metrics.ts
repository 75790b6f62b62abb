import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";

export type ChatMetricsSource = {
  /** Chat lines heard on IRC and not yet saved to the database. */
  pendingHistoryLines(): number;
  /** Lines given up: dropped from the full buffer, or unsaved when the gateway stopped. */
  droppedHistoryLines(): number;
  historySaveFailures(): number;
};

/** Prometheus metrics of one chat gateway, served as text at /metrics on the gateway's port. */
export class ChatMetrics {
  readonly registry = new Registry();
  readonly handlerErrors: Counter<"event">;

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
    this.handlerErrors = new Counter({
      name: "relaycast_chat_handler_errors_total",
      help: "Socket.io handlers that failed unexpectedly and answered the sender with an error",
      labelNames: ["event"],
      registers,
    });
  }
}
