import type { Socket } from "node:net";
import type { Logger } from "@relaycast/logger";
import type { MediaTag } from "../flv/media-tag.ts";
import { ProtocolError } from "../flv/protocol-error.ts";
import { ADMISSION_BUDGET_BYTES, RtmpProtocol, type RtmpStreamRequest } from "../nms/rtmp-protocol.ts";

/** What a connection may do before it publishes or plays (handshake, connect, createStream). */
const SETUP_TIMEOUT_MS = 10_000;
/** A publisher that sends nothing for this long is gone (half-open TCP, a frozen encoder). */
const PUBLISHER_IDLE_TIMEOUT_MS = 10_000;
/** Tags a publisher may send while its key is being checked; the encoder normally waits for our answer. */
const MAX_PENDING_BYTES = ADMISSION_BUDGET_BYTES;

export type PublishDecision = { ok: true; publication: Publication } | { ok: false; description: string };

/** An admitted publish: where the publisher's tags go, and what happens when it leaves. */
export type Publication = {
  tag(tag: MediaTag): void;
  /**
   * The publisher is gone: it left (or dropped), and may come back within the reconnect grace; or
   * it was `cut-off` (its key was revoked, its account suspended), and the broadcast ends now.
   */
  ended(how?: "cut-off"): void;
};

/** Where an accepted player's media goes: its socket, on the message stream it played on. */
export type RtmpPlayer = { socket: Socket; streamId: number };

/**
 * An accepted play: once the player is told so, `attach` starts sending it media and returns what
 * detaches it when its connection closes.
 */
export type PlayDecision =
  { ok: true; attach(player: RtmpPlayer): () => void } | { ok: false; description: string };

export type RtmpConnectionHandlers = {
  /** Decides on a publish; must answer (or fail) within the admission timeout. */
  publish(request: RtmpStreamRequest, connection: RtmpConnection): Promise<PublishDecision>;
  /** Decides on a play: finds (or, on an edge, fetches) the stream. */
  play(request: RtmpStreamRequest): Promise<PlayDecision>;
  bytesIn(bytes: number): void;
  /** The connection was admitted: it publishes or plays now, and no longer counts as pending. */
  settled(connection: RtmpConnection): void;
  /** The connection was closed for what its peer sent (or for a fault that input triggered). */
  peerError(code: string): void;
};

type TState = "setup" | "admitting" | "publishing" | "finding" | "playing" | "closed";

/** One RTMP TCP connection: a publisher, a player, or garbage; it closes itself on any protocol error. */
export class RtmpConnection {
  private state: TState = "setup";
  private readonly protocol: RtmpProtocol;
  private pendingTags: MediaTag[] = [];
  private pendingBytes = 0;
  private publication: Publication | null = null;
  private stopPlaying: (() => void) | null = null;
  private readonly setupTimer: NodeJS.Timeout;

  constructor(
    private readonly socket: Socket,
    private readonly handlers: RtmpConnectionHandlers,
    private readonly log: Logger,
  ) {
    this.protocol = new RtmpProtocol({
      output: (buffer) => {
        if (!socket.destroyed) socket.write(buffer);
      },
      publish: (request) => {
        this.onPublish(request).catch((error: unknown) => this.fail(error));
      },
      play: (request) => {
        this.onPlay(request).catch((error: unknown) => this.fail(error));
      },
      tag: (tag) => this.onTag(tag),
    });
    socket.setNoDelay(true);
    // A deadline, not an idle timeout: a peer trickling a byte now and then must not stay in setup forever.
    this.setupTimer = setTimeout(() => {
      if (this.state === "setup") this.close("setup took too long");
    }, SETUP_TIMEOUT_MS);
    socket.on("data", (data: Buffer) => this.onData(data));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      try {
        this.onClosed();
      } catch (error) {
        this.log.error({ err: error }, "rtmp connection cleanup failed");
      }
    });
  }

  get remoteAddress(): string {
    return this.socket.remoteAddress ?? "";
  }

  /** Ends the connection: a refused or revoked publisher, a stream that ended, the server closing. */
  close(reason: string): void {
    if (this.state === "closed") return;
    this.log.debug({ reason, state: this.state }, "rtmp connection closing");
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private onData(data: Buffer): void {
    try {
      this.handlers.bytesIn(data.length);
      this.protocol.receive(data);
    } catch (error) {
      this.fail(error);
    }
  }

  /**
   * Whatever a peer's bytes lead to, here or after an await, ends here: this connection closes, the
   * error is logged and counted, and every other connection goes on.
   */
  private fail(error: unknown): void {
    const code = error instanceof ProtocolError ? error.code : "INTERNAL";
    if (code === "INTERNAL")
      this.log.error({ err: error, state: this.state }, "rtmp connection failed; closing");
    else this.log.info({ err: error, state: this.state }, "rtmp protocol error; closing");
    this.handlers.peerError(code);
    this.socket.destroy();
  }

  private async onPublish(request: RtmpStreamRequest): Promise<void> {
    if (this.state !== "setup") return this.close("second publish or play");
    this.state = "admitting";
    this.protocol.admitting();
    const decision = await this.handlers.publish(request, this).catch((error: unknown) => {
      this.log.error({ err: error }, "publish admission failed");
      return { ok: false as const, description: "The server could not check the stream key; try again." };
    });
    if (this.state !== "admitting") {
      if (decision.ok) decision.publication.ended();
      return;
    }
    if (!decision.ok) {
      this.protocol.refuse("NetStream.Publish.BadName", decision.description);
      return this.close("publish refused");
    }
    this.state = "publishing";
    this.handlers.settled(this);
    this.publication = decision.publication;
    this.socket.setTimeout(PUBLISHER_IDLE_TIMEOUT_MS, () => this.close("publisher idle"));
    this.protocol.acceptPublish();
    const held = this.pendingTags;
    this.pendingTags = [];
    for (const tag of held) this.publication.tag(tag);
  }

  private async onPlay(request: RtmpStreamRequest): Promise<void> {
    if (this.state !== "setup") return this.close("second publish or play");
    this.state = "finding";
    const decision = await this.handlers.play(request);
    if (this.state !== "finding") return;
    if (!decision.ok) {
      this.protocol.refuse("NetStream.Play.StreamNotFound", decision.description);
      return this.close("play refused");
    }
    this.state = "playing";
    this.handlers.settled(this);
    this.protocol.acceptPlay();
    this.stopPlaying = decision.attach({ socket: this.socket, streamId: this.protocol.streamId });
  }

  private onTag(tag: MediaTag): void {
    if (this.state === "publishing") return this.publication!.tag(tag);
    if (this.state !== "admitting") return;
    this.pendingBytes += tag.body.length;
    if (this.pendingBytes > MAX_PENDING_BYTES) return this.close("too much data before admission");
    this.pendingTags.push(tag);
  }

  private onClosed(): void {
    const previous = this.state;
    this.state = "closed";
    clearTimeout(this.setupTimer);
    this.pendingTags = [];
    if (previous === "publishing") this.publication?.ended();
    if (previous === "playing") this.stopPlaying?.();
  }
}
