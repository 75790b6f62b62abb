import { readFile } from "node:fs/promises";
import type { Socket } from "node:net";
import { createServer, type Server } from "node:tls";
import type { Logger } from "@relaycast/logger";
import { listen } from "../listen.ts";
import type { RtmpServer } from "./rtmp-server.ts";

export type RtmpsListenerOptions = {
  host: string;
  port: number;
  /** PEM certificate (chain) and key. */
  certFile: string;
  keyFile: string;
  maxConnections: number;
  rtmp: RtmpServer;
  peerError(code: string): void;
  log: Logger;
};

const HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * RTMPS, as OBS's `rtmps://` ingest: TLS in front of the RTMP server. Once its TLS handshake is
 * done, a connection is the RTMP server's like any other, within the same caps and admission.
 */
export class RtmpsListener {
  private server: Server | null = null;
  /** Every TCP connection, in its TLS handshake or handed to the RTMP server. */
  private readonly sockets = new Set<Socket>();
  private readonly log: Logger;

  constructor(private readonly options: RtmpsListenerOptions) {
    this.log = options.log.child({ component: "rtmps" });
  }

  async start(): Promise<void> {
    const { options } = this;
    const [cert, key] = await Promise.all([readFile(options.certFile), readFile(options.keyFile)]);
    const server = createServer({ cert, key, handshakeTimeout: HANDSHAKE_TIMEOUT_MS }, (socket) =>
      options.rtmp.accept(socket),
    );
    server.maxConnections = options.maxConnections;
    server.on("connection", (socket: Socket) => {
      this.sockets.add(socket);
      socket.once("close", () => this.sockets.delete(socket));
    });
    server.on("tlsClientError", (error: NodeJS.ErrnoException, socket) => {
      options.peerError(error.code ?? "TLS_HANDSHAKE");
      socket.destroy();
    });
    this.server = server;
    await listen(server, options.host, options.port);
    this.log.info({ host: options.host, port: this.port }, "rtmps listening");
  }

  /** The port actually bound (differs from the option when that was 0). */
  get port(): number {
    const address = this.server?.address();
    return typeof address === "object" && address ? address.port : this.options.port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // The server closes once its connections have: publishers are cut, as on the RTMP port.
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}
