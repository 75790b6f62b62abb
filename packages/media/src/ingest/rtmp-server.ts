import { createServer, type Server, type Socket } from "node:net";
import { listen } from "../listen.ts";
import type { Logger } from "@relaycast/logger";
import type { ConnectionLimits, TConnectionRefusal } from "../limits/connection-limits.ts";
import { RtmpConnection, type RtmpConnectionHandlers } from "./rtmp-connection.ts";

export type RtmpServerOptions = {
  host: string;
  port: number;
  maxConnections: number;
  /** Connections not yet publishing or playing (handshake, commands, key check) the server holds at once. */
  maxPendingConnections: number;
  limits: ConnectionLimits;
  handlers: Omit<RtmpConnectionHandlers, "settled">;
  refused(reason: TConnectionRefusal): void;
  log: Logger;
};

/** The RTMP listener: one RtmpConnection per TCP connection, within the node's connection caps. */
export class RtmpServer {
  private readonly server: Server;
  private readonly connections = new Set<RtmpConnection>();
  private readonly pending = new Set<RtmpConnection>();
  private readonly log: Logger;

  constructor(private readonly options: RtmpServerOptions) {
    this.log = options.log.child({ component: "rtmp" });
    this.server = createServer((socket) => this.accept(socket));
    this.server.maxConnections = options.maxConnections;
  }

  start(): Promise<void> {
    return listen(this.server, this.options.host, this.options.port).then(() =>
      this.log.info({ host: this.options.host, port: this.options.port }, "rtmp listening"),
    );
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** The port actually bound (differs from the option when that was 0). */
  get port(): number {
    const address = this.server.address();
    return typeof address === "object" && address ? address.port : this.options.port;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const connection of this.connections) connection.close("server closing");
    await closed;
  }

  /** Takes a connection: from the listener, or handed over (a socket passed in, the fuzzer's streams). */
  accept(socket: Socket): void {
    const refusal = this.pending.size >= this.options.maxPendingConnections ? "pending" : null;
    const release = refusal ? null : this.options.limits.take(socket.remoteAddress);
    if (!release) {
      // Nothing is read from it: the peer learns no more than that the connection closed.
      socket.on("error", () => {});
      socket.destroy();
      this.options.refused(refusal ?? "per-client");
      return;
    }
    const connection = new RtmpConnection(
      socket,
      { ...this.options.handlers, settled: (settled) => this.pending.delete(settled) },
      this.log,
    );
    this.connections.add(connection);
    this.pending.add(connection);
    socket.once("close", () => {
      this.connections.delete(connection);
      this.pending.delete(connection);
      release();
    });
  }
}
