import { classifyTag, type TTagType } from "@relaycast/media/flv";
import { decodeAmf0 } from "./amf0.ts";
import { RtmpChunkDecoder, type RtmpMessage } from "./rtmp-chunk-decoder.ts";
import {
  HANDSHAKE_BYTES,
  connectCommand,
  createStreamCommand,
  handshakeStart,
  playCommand,
} from "./rtmp-client-messages.ts";
import { Viewer, type FrameArrivalLog, type PlayTarget } from "./viewer.ts";

const APP = "live";
const TYPE_COMMAND_AMF0 = 20;
const CONNECT_TRANSACTION = 1;
const CREATE_STREAM_TRANSACTION = 2;

/** Plays `rtmp://…/live/<channel>` like a player: handshake, connect, createStream, play. */
export class RtmpViewer extends Viewer {
  private handshake: Buffer[] = [];
  private handshakeBytes = 0;
  private isHandshakeDone = false;
  private arrivedAt = 0;
  private readonly chunks = new RtmpChunkDecoder({
    media: (message, head) => this.media(message, head),
    command: (message, body) => this.command(message, body),
  });

  constructor(target: PlayTarget, arrivals: FrameArrivalLog | null) {
    super("rtmp", target, arrivals);
  }

  protected port(): number {
    return this.target.rtmpPort;
  }

  protected connected(): void {
    this.send(handshakeStart());
  }

  protected read(chunk: Buffer, now: number): void {
    this.arrivedAt = now;
    if (!this.isHandshakeDone) {
      this.handshake.push(chunk);
      this.handshakeBytes += chunk.length;
      // S0 (version), S1, S2.
      if (this.handshakeBytes < 1 + 2 * HANDSHAKE_BYTES) return;
      const received = Buffer.concat(this.handshake);
      this.handshake = [];
      this.isHandshakeDone = true;
      const s1 = received.subarray(1, 1 + HANDSHAKE_BYTES);
      const { host, rtmpPort } = this.target;
      this.send(Buffer.concat([s1, connectCommand(`rtmp://${host}:${rtmpPort}/${APP}`, APP)]));
      chunk = received.subarray(1 + 2 * HANDSHAKE_BYTES);
    }
    this.chunks.push(chunk);
  }

  private command(message: RtmpMessage, body: Buffer): void {
    if (message.type !== TYPE_COMMAND_AMF0) return;
    const [name, transaction, , info] = decodeAmf0(body);
    if (name === "_result" && transaction === CONNECT_TRANSACTION) {
      this.send(createStreamCommand());
    } else if (name === "_result" && transaction === CREATE_STREAM_TRANSACTION) {
      this.send(playCommand(typeof info === "number" ? info : 1, this.target.channel));
    } else if (name === "_error") {
      this.playback.broken("rtmp: _error");
    } else if (name === "onStatus" && info && typeof info === "object" && info.level === "error") {
      this.playback.broken(`rtmp: ${String(info.code)}`);
    }
  }

  private media(message: RtmpMessage, head: Buffer): void {
    const kind = classifyTag(message.type as TTagType, head);
    if (kind === "keyframe") this.playback.keyframe(this.arrivedAt);
    if (kind === "keyframe" || kind === "interframe" || kind === "audio")
      this.playback.frame(this.arrivedAt, message.timestamp, message.type);
  }
}
