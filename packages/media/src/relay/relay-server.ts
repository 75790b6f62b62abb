import { createServer, type Server, type Socket } from "node:net";
import type { Logger } from "@relaycast/logger";
import type { TViewerCounts } from "../api/stream-api.ts";
import { corkedSink } from "../edge/corked-sink.ts";
import type { LiveStream } from "../edge/live-stream.ts";
import type { Viewer } from "../edge/viewer.ts";
import { listen } from "../listen.ts";
import { isValidProof, newNonce, relayProof } from "./relay-auth.ts";
import {
  CONTROL,
  RELAY_VERSION,
  RelayFrameReader,
  bodyOf,
  controlFrame,
  type TEndReason,
  type TControlBody,
} from "./relay-frame.ts";
import { KEEPALIVE_MS, PEER_SILENT_MS, HANDSHAKE_MS, type RelayEvents } from "./relay-timing.ts";

/** A channel published on this origin, as the relay serves it. */
export type RelaySource = { stream: LiveStream; state: "live" | "reconnecting"; startedAt: Date };

export type RelayServerOptions = {
  host: string;
  port: number;
  nodeId: string;
  secret: string;
  find(channel: string): RelaySource | null;
  events: RelayEvents;
  log: Logger;
};

/** An edge's subscription as the origin's stream API shows it. */
export type RelaySubscriber = { node: string; viewers: Omit<TViewerCounts, "total"> };

type TSessionState = "hello" | "auth" | "ready" | "streaming" | "closed";

/**
 * The origin's side of the relay: edges connect, authenticate, and subscribe to one channel per
 * connection (see PROTOCOL.md). A subscriber is a viewer of the channel's stream like any other, with
 * the same bounded queue: a slow edge is skipped to the next keyframe, then dropped.
 */
export class RelayServer {
  private readonly server: Server;
  private readonly sessions = new Set<RelaySession>();
  private readonly log: Logger;

  constructor(private readonly options: RelayServerOptions) {
    this.log = options.log.child({ component: "relay-server" });
    this.server = createServer((socket) => this.accept(socket));
  }

  async start(): Promise<void> {
    await listen(this.server, this.options.host, this.options.port);
    this.log.info({ host: this.options.host, port: this.port }, "relay listening");
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === "object" && address ? address.port : this.options.port;
  }

  /** The edges subscribed to a channel, with the viewers each reported. */
  subscribers(channel: string): RelaySubscriber[] {
    return [...this.sessions].flatMap((session) => session.subscriberOf(channel) ?? []);
  }

  get connectionCount(): number {
    return this.sessions.size;
  }

  /** Tells a channel's subscribers it is over here (ended, or moved to another origin). */
  end(channel: string, reason: TEndReason): void {
    for (const session of this.sessions) if (session.channel === channel) session.end(reason);
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const session of this.sessions) session.end("shutdown");
    await closed;
  }

  private accept(socket: Socket): void {
    const session = new RelaySession(socket, this.options, this.log);
    this.sessions.add(session);
    this.options.events.connectionOpened();
    socket.once("close", () => {
      this.sessions.delete(session);
      this.options.events.connectionClosed();
    });
  }
}

/** One edge's connection to this origin. */
class RelaySession {
  private state: TSessionState = "hello";
  private readonly reader = new RelayFrameReader();
  private readonly nonce = newNonce();
  private edgeId = "";
  private edgeNonce = "";
  private source: RelaySource | null = null;
  private viewer: Viewer | null = null;
  private sentState: string | null = null;
  private audience: RelaySubscriber["viewers"] = { "http-flv": 0, "ws-flv": 0, rtmp: 0, hls: 0 };
  private readonly handshakeTimer: NodeJS.Timeout;
  private readonly keepAlive: NodeJS.Timeout;
  channel: string | null = null;

  constructor(
    private readonly socket: Socket,
    private readonly options: RelayServerOptions,
    private readonly log: Logger,
  ) {
    socket.setNoDelay(true);
    socket.setTimeout(PEER_SILENT_MS, () => this.fail("peer silent"));
    this.handshakeTimer = setTimeout(() => {
      if (this.state !== "streaming") this.fail("handshake took too long");
    }, HANDSHAKE_MS);
    this.keepAlive = setInterval(() => this.tick(), KEEPALIVE_MS);
    socket.on("data", (data: Buffer) => this.receive(data));
    socket.on("error", () => socket.destroy());
    socket.once("close", () => this.closed());
  }

  subscriberOf(channel: string): RelaySubscriber | null {
    return this.state === "streaming" && this.channel === channel
      ? { node: this.edgeId, viewers: this.audience }
      : null;
  }

  end(reason: TEndReason): void {
    if (this.state === "closed") return;
    this.send(CONTROL.end, { reason });
    this.state = "closed";
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1_000).unref();
  }

  private receive(data: Buffer): void {
    this.options.events.bytesIn(data.length);
    const result = this.reader.push(data);
    if (!result.ok) return this.protocolError(result.error.code);
    for (const frame of result.frames) {
      if (this.state === "closed") return;
      if (frame.kind === "media") return this.protocolError("MEDIA_FROM_EDGE");
      try {
        this.handle(frame);
      } catch (error) {
        return this.protocolError(error instanceof Error ? error.message : String(error));
      }
    }
  }

  private handle(frame: { type: number; body: unknown }): void {
    const control = frame as { type: (typeof CONTROL)[keyof typeof CONTROL]; body: unknown };
    switch (this.state) {
      case "hello": {
        const hello = bodyOf(control, CONTROL.hello);
        if (hello.version !== RELAY_VERSION) return this.end("version");
        this.edgeId = hello.nodeId;
        this.edgeNonce = hello.nonce;
        const proof = relayProof(this.options.secret, "origin", this.handshake());
        this.send(CONTROL.hello, {
          version: RELAY_VERSION,
          nodeId: this.options.nodeId,
          nonce: this.nonce,
          proof,
        });
        this.state = "auth";
        return;
      }
      case "auth": {
        const { proof } = bodyOf(control, CONTROL.auth);
        if (!isValidProof(this.options.secret, "edge", this.handshake(), proof)) {
          this.options.events.authFailed();
          this.log.warn(
            { edge: this.edgeId, address: this.socket.remoteAddress },
            "relay peer failed to authenticate",
          );
          return this.end("unauthorized");
        }
        this.state = "ready";
        return;
      }
      case "ready":
        return this.subscribe(bodyOf(control, CONTROL.subscribe).channel);
      case "streaming":
        return this.control(control);
    }
  }

  private subscribe(channel: string): void {
    const source = this.options.find(channel);
    if (!source) return this.end("not-here");
    this.channel = channel;
    this.source = source;
    this.state = "streaming";
    clearTimeout(this.handshakeTimer);
    this.sendState();
    this.viewer = source.stream.addViewer("relay", "flv", this.sink());
    this.log.info({ channel, edge: this.edgeId }, "edge subscribed");
  }

  private control(frame: { type: (typeof CONTROL)[keyof typeof CONTROL]; body: unknown }): void {
    switch (frame.type) {
      case CONTROL.ping:
        return this.send(CONTROL.pong, bodyOf(frame, CONTROL.ping));
      case CONTROL.pong:
        return this.options.events.roundTrip(Date.now() - bodyOf(frame, CONTROL.pong).t);
      case CONTROL.audience:
        this.audience = bodyOf(frame, CONTROL.audience);
        return;
      case CONTROL.unsubscribe:
        return this.end("ended");
      default:
        return this.protocolError("UNEXPECTED_FRAME");
    }
  }

  /** Media to the edge: one corked write per fanout tick; the end of the stream ends the relay too. */
  private sink() {
    const socket = this.socket;
    const sink = corkedSink(socket, (reason) => {
      if (reason === "stream-ended") this.end("ended");
      else if (reason === "too-slow") this.end("too-slow");
      else socket.destroy();
    });
    return {
      ...sink,
      write: (buffers: Buffer[]) => {
        sink.write(buffers);
        for (const buffer of buffers) this.options.events.bytesOut(buffer.length);
      },
    };
  }

  private tick(): void {
    if (this.state === "closed") return;
    this.send(CONTROL.ping, { t: Date.now() });
    if (this.state === "streaming") this.sendState();
  }

  /** STREAM on subscription, and again whenever the broadcast's state changes. */
  private sendState(): void {
    const source = this.source && this.channel ? this.options.find(this.channel) : null;
    if (!source || source.stream !== this.source?.stream) return this.end(source ? "moved" : "ended");
    const state = { channel: this.channel!, state: source.state, startedAt: source.startedAt.toISOString() };
    const key = JSON.stringify(state);
    if (key === this.sentState) return;
    this.sentState = key;
    this.send(CONTROL.stream, state);
  }

  private send<T extends (typeof CONTROL)[keyof typeof CONTROL]>(type: T, body: TControlBody<T>): void {
    if (this.socket.destroyed || this.socket.writableEnded) return;
    const frame = controlFrame(type, body);
    this.options.events.bytesOut(frame.length);
    this.socket.write(frame);
  }

  private handshake() {
    return {
      edgeId: this.edgeId,
      originId: this.options.nodeId,
      edgeNonce: this.edgeNonce,
      originNonce: this.nonce,
    };
  }

  private protocolError(code: string): void {
    this.log.info(
      { code, edge: this.edgeId || null, address: this.socket.remoteAddress },
      "relay protocol error",
    );
    this.end("protocol-error");
  }

  private fail(reason: string): void {
    this.log.info({ reason, edge: this.edgeId || null }, "relay connection dropped");
    this.socket.destroy();
  }

  private closed(): void {
    this.state = "closed";
    clearTimeout(this.handshakeTimer);
    clearInterval(this.keepAlive);
    if (this.viewer && this.source) {
      this.source.stream.removeViewer(this.viewer);
      this.viewer.close("server-closing");
    }
  }
}
