import { connect, type Socket } from "node:net";
import type { Logger } from "@relaycast/logger";
import type { TViewerCounts } from "../api/stream-api.ts";
import type { LiveStream } from "../edge/live-stream.ts";
import { classifyTag } from "../flv/classify-tag.ts";
import type { TTagType } from "../flv/media-tag.ts";
import { isValidProof, newNonce, relayProof } from "./relay-auth.ts";
import {
  CONTROL,
  RELAY_VERSION,
  RelayFrameReader,
  bodyOf,
  controlFrame,
  type RelayFrame,
  type TControlBody,
  type TControlType,
  type TEndReason,
} from "./relay-frame.ts";
import { HANDSHAKE_MS, KEEPALIVE_MS, PEER_SILENT_MS, type RelayEvents } from "./relay-timing.ts";

/** Where a channel is published now: its origin's id and relay address (`host:port`). */
export type OriginLocation = { nodeId: string; relayAddress: string };

export type TAudience = Omit<TViewerCounts, "total">;

export type RelayUpstreamsOptions = {
  nodeId: string;
  secret: string;
  locate(channel: string): Promise<OriginLocation | null>;
  /** The edge's local stream of a channel, fed by its upstream. */
  createStream(channel: string): LiveStream;
  /** Who watches a stream here: reported to the origin, and what keeps the upstream open. */
  audience(stream: LiveStream): TAudience;
  /** An upstream opened (its stream exists) or closed (its stream ended). */
  opened(stream: LiveStream): void;
  closed(stream: LiveStream): void;
  /** An upstream with no audience for this long is released. */
  idleMs: number;
  /** An upstream whose origin went away looks for the channel's new origin this long. */
  followMs: number;
  events: RelayEvents;
  log: Logger;
};

/** A channel relayed to this edge, as its stream API describes it. */
export type RelayedChannel = {
  channel: string;
  origin: string;
  state: "live" | "reconnecting";
  startedAt: Date;
  stream: LiveStream;
};

const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 1_000;

/**
 * The edge's side of the relay: one upstream per channel, whatever the number of viewers, opened on
 * the first viewer's request and released after `idleMs` without any. An upstream whose origin
 * goes away (killed, shut down, the channel moved) keeps its viewers and follows the channel to
 * the origin that holds it now.
 */
export class RelayUpstreams {
  private readonly upstreams = new Map<string, Upstream>();
  private isClosed = false;

  constructor(private readonly options: RelayUpstreamsOptions) {}

  /** The channel's local stream, pulled from its origin if this edge does not carry it yet; null when it is not live. */
  open(channel: string): Promise<LiveStream | null> {
    if (this.isClosed) return Promise.resolve(null);
    let upstream = this.upstreams.get(channel);
    if (!upstream) {
      const created = new Upstream(channel, this.options);
      upstream = created;
      this.upstreams.set(channel, created);
      void created.finished.then(() => {
        if (this.upstreams.get(channel) === created) this.upstreams.delete(channel);
      });
    }
    return upstream.ready;
  }

  /** The channel as relayed here, once its upstream has subscribed; null otherwise. */
  find(channel: string): RelayedChannel | null {
    return this.upstreams.get(channel)?.describe() ?? null;
  }

  list(): RelayedChannel[] {
    return [...this.upstreams.values()].flatMap((upstream) => upstream.describe() ?? []);
  }

  async close(): Promise<void> {
    this.isClosed = true;
    await Promise.all([...this.upstreams.values()].map((upstream) => upstream.close()));
  }
}

type TUpstreamState = "connecting" | "streaming" | "following" | "closed";

/** One channel's upstream: the local stream and the connection that feeds it. */
class Upstream {
  readonly ready: Promise<LiveStream | null>;
  readonly finished: Promise<void>;
  private resolveReady!: (stream: LiveStream | null) => void;
  private resolveFinished!: () => void;
  private state: TUpstreamState = "connecting";
  private stream: LiveStream | null = null;
  private connection: UpstreamConnection | null = null;
  private origin = "";
  private remote: { state: "live" | "reconnecting"; startedAt: Date } = {
    state: "live",
    startedAt: new Date(),
  };
  private idleSince: number | null = null;
  private readonly timer: NodeJS.Timeout;
  private readonly log: Logger;

  constructor(
    readonly channel: string,
    private readonly options: RelayUpstreamsOptions,
  ) {
    this.log = options.log.child({ component: "relay-upstream", channel });
    this.ready = new Promise((resolve) => (this.resolveReady = resolve));
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
    this.timer = setInterval(() => this.tick(), KEEPALIVE_MS);
    this.timer.unref();
    void this.follow(options.followMs);
  }

  describe(): RelayedChannel | null {
    if (!this.stream || this.state === "closed") return null;
    return {
      channel: this.channel,
      origin: this.origin,
      // While it looks for the channel's new origin, the channel is reconnecting here.
      state: this.state === "following" ? "reconnecting" : this.remote.state,
      startedAt: this.remote.startedAt,
      stream: this.stream,
    };
  }

  async close(): Promise<void> {
    this.connection?.unsubscribe();
    this.finish("edge closing");
  }

  /** Finds the channel's origin and subscribes, retrying until `withinMs` has passed. */
  private async follow(withinMs: number): Promise<void> {
    const deadline = Date.now() + withinMs;
    let delay = RETRY_MIN_MS;
    while (this.state === "connecting" || this.state === "following") {
      const location = await this.options.locate(this.channel).catch((error: unknown) => {
        this.log.warn({ err: error }, "could not look the channel's origin up");
        return null;
      });
      // A channel nobody holds on a first request is simply not live.
      if (!location && this.state === "connecting" && !this.stream) return this.finish("not live");
      if (location) {
        const outcome = await this.subscribe(location);
        if (outcome === "subscribed" || this.hasFinished()) return;
        if (outcome === "ended") return this.finish("broadcast ended");
        // Its origin does not have it: on a first request, the channel is not live.
        if (outcome === "not-here" && !this.stream) return this.finish("not live");
        // No retry mends a wrong secret or another protocol version.
        if (outcome === "unauthorized" || outcome === "version") return this.finish(`relay ${outcome}`);
      }
      if (Date.now() + delay > deadline) return this.finish("no origin has the channel");
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, RETRY_MAX_MS);
    }
  }

  private subscribe(location: OriginLocation): Promise<"subscribed" | TEndReason | "lost"> {
    return new Promise((resolve) => {
      const connection = new UpstreamConnection(this.channel, location, this.options, {
        stream: (state) => {
          this.remote = { state: state.state, startedAt: new Date(state.startedAt) };
          if (this.state === "streaming") return;
          const isResumed = this.stream !== null;
          this.stream ??= this.options.createStream(this.channel);
          // A new origin's stream: the timeline and the GOP start again, the viewers stay.
          if (isResumed) this.stream.publisherReplaced();
          else this.options.opened(this.stream);
          this.state = "streaming";
          this.origin = location.nodeId;
          this.connection = connection;
          this.log.info({ origin: location.nodeId, isResumed }, "relaying from origin");
          this.resolveReady(this.stream);
          resolve("subscribed");
        },
        media: (frame) => {
          const type = frame.type as TTagType;
          this.stream?.push({
            type,
            kind: classifyTag(type, frame.body),
            timestamp: frame.timestamp,
            body: frame.body,
          });
        },
        ended: (reason) => {
          if (this.connection !== connection) return resolve(reason);
          this.connection = null;
          if (this.state !== "streaming") return;
          if (reason === "ended") return this.finish("broadcast ended");
          this.log.info({ reason, origin: location.nodeId }, "origin went away; following the channel");
          this.state = "following";
          void this.follow(this.options.followMs);
        },
      });
    });
  }

  private hasFinished(): boolean {
    return this.state === "closed";
  }

  /** Keep-alive, the audience for the origin, and the idle release. */
  private tick(): void {
    if (!this.stream || this.state === "closed") return;
    const audience = this.options.audience(this.stream);
    this.connection?.report(audience);
    const viewers = audience["http-flv"] + audience["ws-flv"] + audience.rtmp + audience.hls;
    const now = Date.now();
    if (viewers > 0) this.idleSince = null;
    else this.idleSince ??= now;
    if (this.idleSince !== null && now - this.idleSince >= this.options.idleMs) {
      this.connection?.unsubscribe();
      this.finish("no viewers");
    }
  }

  private finish(reason: string): void {
    if (this.state === "closed") return;
    this.state = "closed";
    clearInterval(this.timer);
    this.connection?.close();
    this.connection = null;
    this.resolveReady(null);
    if (this.stream) {
      this.log.info({ reason }, "upstream released");
      this.stream.end();
      this.options.closed(this.stream);
    }
    this.resolveFinished();
  }
}

type ConnectionHandlers = {
  stream(state: TControlBody<typeof CONTROL.stream>): void;
  media(frame: Extract<RelayFrame, { kind: "media" }>): void;
  /** The connection is over: why, as the origin said (END), or "lost". */
  ended(reason: TEndReason | "lost"): void;
};

/** One TCP connection to an origin, for one channel: hello, proofs, subscribe, then frames. */
class UpstreamConnection {
  private readonly socket: Socket;
  private readonly reader = new RelayFrameReader();
  private readonly nonce = newNonce();
  private originNonce = "";
  private phase: "hello" | "subscribing" | "streaming" | "over" = "hello";
  private readonly handshakeTimer: NodeJS.Timeout;
  private readonly log: Logger;

  constructor(
    private readonly channel: string,
    private readonly location: OriginLocation,
    private readonly options: RelayUpstreamsOptions,
    private readonly handlers: ConnectionHandlers,
  ) {
    this.log = options.log.child({ component: "relay-upstream", channel, origin: location.nodeId });
    const [host, port] = splitAddress(location.relayAddress);
    this.socket = connect({ host, port });
    this.socket.setNoDelay(true);
    this.socket.setTimeout(PEER_SILENT_MS, () => this.socket.destroy());
    this.handshakeTimer = setTimeout(() => {
      if (this.phase !== "streaming") this.socket.destroy();
    }, HANDSHAKE_MS);
    options.events.connectionOpened();
    this.socket.once("connect", () =>
      this.send(CONTROL.hello, { version: RELAY_VERSION, nodeId: options.nodeId, nonce: this.nonce }),
    );
    this.socket.on("data", (data: Buffer) => this.receive(data));
    this.socket.on("error", (error) => this.log.debug({ err: error }, "relay connection error"));
    this.socket.once("close", () => {
      clearTimeout(this.handshakeTimer);
      options.events.connectionClosed();
      this.over("lost");
    });
  }

  report(audience: TAudience): void {
    if (this.phase !== "streaming") return;
    this.send(CONTROL.ping, { t: Date.now() });
    this.send(CONTROL.audience, audience);
  }

  unsubscribe(): void {
    if (this.phase === "streaming") this.send(CONTROL.unsubscribe, { channel: this.channel });
  }

  close(): void {
    this.phase = "over";
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1_000).unref();
  }

  private receive(data: Buffer): void {
    this.options.events.bytesIn(data.length);
    const result = this.reader.push(data);
    if (!result.ok) {
      this.log.warn({ code: result.error.code }, "origin sent an unreadable relay frame");
      return void this.socket.destroy();
    }
    for (const frame of result.frames) {
      if (this.phase === "over") return;
      if (frame.kind === "media") {
        if (this.phase !== "streaming") {
          this.log.warn("origin sent media before accepting the subscription");
          return void this.socket.destroy();
        }
        this.handlers.media(frame);
        continue;
      }
      try {
        this.control(frame);
      } catch (error) {
        this.log.warn({ err: error }, "origin broke the relay protocol");
        return void this.socket.destroy();
      }
    }
  }

  private control(frame: { type: TControlType; body: unknown }): void {
    if (frame.type === CONTROL.end) return this.over(bodyOf(frame, CONTROL.end).reason);
    if (frame.type === CONTROL.ping) return this.send(CONTROL.pong, bodyOf(frame, CONTROL.ping));
    if (frame.type === CONTROL.pong)
      return this.options.events.roundTrip(Date.now() - bodyOf(frame, CONTROL.pong).t);
    if (this.phase === "hello") {
      const hello = bodyOf(frame, CONTROL.hello);
      this.originNonce = hello.nonce;
      const handshake = {
        edgeId: this.options.nodeId,
        originId: hello.nodeId,
        edgeNonce: this.nonce,
        originNonce: hello.nonce,
      };
      if (
        hello.version !== RELAY_VERSION ||
        !hello.proof ||
        !isValidProof(this.options.secret, "origin", handshake, hello.proof)
      ) {
        this.options.events.authFailed();
        this.log.warn("the origin could not prove it knows the cluster secret");
        return this.over("unauthorized");
      }
      this.send(CONTROL.auth, { proof: relayProof(this.options.secret, "edge", handshake) });
      this.send(CONTROL.subscribe, { channel: this.channel });
      this.phase = "subscribing";
      return;
    }
    const state = bodyOf(frame, CONTROL.stream);
    if (state.channel !== this.channel) throw new Error("STREAM for another channel");
    if (this.phase === "subscribing") {
      this.phase = "streaming";
      clearTimeout(this.handshakeTimer);
    }
    this.handlers.stream(state);
  }

  private over(reason: TEndReason | "lost"): void {
    if (this.phase === "over") return;
    this.phase = "over";
    this.handlers.ended(reason);
    this.close();
  }

  private send<T extends TControlType>(type: T, body: TControlBody<T>): void {
    if (this.socket.destroyed || this.socket.writableEnded) return;
    const frame = controlFrame(type, body);
    this.options.events.bytesOut(frame.length);
    this.socket.write(frame);
  }
}

function splitAddress(address: string): [string, number] {
  const colon = address.lastIndexOf(":");
  return [address.slice(0, colon).replace(/^\[|\]$/g, ""), Number(address.slice(colon + 1))];
}
