import { classifyTag } from "../flv/classify-tag.ts";
import { unwrapSetDataFrame } from "../flv/flv-tag.ts";
import { TAG_TYPE, type MediaTag, type TTagType } from "../flv/media-tag.ts";
import { ProtocolError } from "../flv/protocol-error.ts";
import { Rtmp, type NmsAvPacket, type NmsRtmp } from "./nms-modules.ts";

/** The largest RTMP message a peer may announce; real keyframes are far smaller. */
const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
/** Chunk streams a peer may open; encoders use a handful. */
const MAX_CHUNK_STREAMS = 16;
/**
 * Memory a peer's announced messages may reserve at once. NMS allocates a message's whole payload
 * when its first chunk arrives, so without a budget a few bytes could reserve megabytes. Before a
 * publish command, a peer needs only room for commands; while its key is checked, room for the frames
 * held meanwhile (as many as the connection holds); once admitted, room for real keyframes.
 */
const SETUP_BUDGET_BYTES = 64 * 1024;
export const ADMISSION_BUDGET_BYTES = 1024 * 1024;
const PUBLISHER_BUDGET_BYTES = 32 * 1024 * 1024;
const RTMP_TYPE_SET_CHUNK_SIZE = 1;
const MAX_CHUNK_SIZE = 0x7fffffff;

export type RtmpStreamRequest = { app: string; name: string };

export type RtmpProtocolEvents = {
  /** Bytes for the peer (handshake, control and command responses). */
  output(buffer: Buffer): void;
  /** The peer asked to publish; nothing is answered until `acceptPublish` or `refuse`. */
  publish(request: RtmpStreamRequest): void;
  /** The peer asked to play; nothing is answered until `acceptPlay` or `refuse`. */
  play(request: RtmpStreamRequest): void;
  /** A media or script tag from a publisher. */
  tag(tag: MediaTag): void;
};

/**
 * One RTMP connection's protocol state, on top of NMS's RTMP parser: handshake, chunking and commands.
 * Adds what NMS lacks: limits on message size, chunk size and chunk streams, and publish/play answers
 * withheld until the caller has decided.
 */
export class RtmpProtocol {
  private readonly rtmp: NmsRtmp = new Rtmp();
  private readonly respondPublish: () => void;
  private readonly respondPlay: () => void;
  private request: RtmpStreamRequest | null = null;
  private budgetBytes = SETUP_BUDGET_BYTES;
  /** What our handlers threw from inside NMS's parser: our faults, never blamed on the peer's bytes. */
  private readonly ownFaults = new WeakSet<object>();

  constructor(events: RtmpProtocolEvents) {
    const rtmp = this.rtmp;
    this.respondPublish = rtmp.respondPublish.bind(rtmp);
    this.respondPlay = rtmp.respondPlay.bind(rtmp);
    rtmp.respondPublish = () => {};
    rtmp.respondPlay = () => {};
    rtmp.onOutputCallback = this.ours((buffer) => events.output(buffer));
    rtmp.onConnectCallback = ({ app, name }) => {
      this.request = { app: String(app), name: String(name) };
    };
    rtmp.onPushCallback = this.ours(() => events.publish(this.request!));
    rtmp.onPlayCallback = this.ours(() => events.play(this.request!));
    rtmp.onPacketCallback = this.ours((packet) => {
      const tag = toMediaTag(packet);
      if (tag) events.tag(tag);
    });
    const controlHandler = rtmp.controlHandler.bind(rtmp);
    rtmp.controlHandler = () => {
      if (rtmp.parserPacket.header.type === RTMP_TYPE_SET_CHUNK_SIZE) {
        const size = rtmp.parserPacket.payload.readUInt32BE(0);
        if (size < 1 || size > MAX_CHUNK_SIZE) throw new ProtocolError("BAD_CHUNK_SIZE", { size });
      }
      controlHandler();
    };
    const packetParse = rtmp.packetParse.bind(rtmp);
    rtmp.packetParse = () => {
      packetParse();
      // A new message header on a chunk stream in the middle of a longer message would make NMS read
      // backwards and parse payload bytes as chunks.
      const { bytes, header } = rtmp.parserPacket;
      if (bytes > header.length)
        throw new ProtocolError("BAD_CHUNK_HEADER", { bytes, length: header.length });
    };
    const packetAlloc = rtmp.packetAlloc.bind(rtmp);
    rtmp.packetAlloc = () => {
      const { header, capacity } = rtmp.parserPacket;
      if (header.length > MAX_MESSAGE_BYTES)
        throw new ProtocolError("MESSAGE_TOO_LARGE", { length: header.length });
      if (rtmp.inPackets.size > MAX_CHUNK_STREAMS) {
        throw new ProtocolError("TOO_MANY_CHUNK_STREAMS", { count: rtmp.inPackets.size });
      }
      if (capacity < header.length) {
        let reserved = header.length - capacity;
        for (const packet of rtmp.inPackets.values()) reserved += packet.capacity;
        if (reserved > this.budgetBytes) throw new ProtocolError("MEMORY_BUDGET", { reserved });
      }
      packetAlloc();
    };
  }

  /**
   * Feeds bytes from the peer. Throws a ProtocolError on bytes it cannot read (NMS's own exceptions
   * on malformed chunks, AMF or commands included), and passes on what our own handlers threw.
   */
  receive(data: Buffer): void {
    let error: string | null;
    try {
      error = this.rtmp.parserData(data);
    } catch (thrown) {
      if (thrown instanceof ProtocolError || this.ownFaults.has(thrown as object)) throw thrown;
      throw new ProtocolError("RTMP_MALFORMED", { reason: String(thrown) });
    }
    if (error) throw new ProtocolError("RTMP_PARSE", { reason: error });
  }

  private ours<A extends unknown[]>(handler: (...args: A) => void): (...args: A) => void {
    return (...args) => {
      try {
        handler(...args);
      } catch (error) {
        if (typeof error === "object" && error !== null) this.ownFaults.add(error);
        throw error;
      }
    };
  }

  /** The message stream the peer published or played on; media for a player goes out on it. */
  get streamId(): number {
    return this.rtmp.streamId;
  }

  /** A publish was asked for: frames may arrive before the answer, and must fit. */
  admitting(): void {
    this.budgetBytes = ADMISSION_BUDGET_BYTES;
  }

  acceptPublish(): void {
    this.budgetBytes = PUBLISHER_BUDGET_BYTES;
    this.respondPublish();
  }

  acceptPlay(): void {
    this.respondPlay();
  }

  /** Tells the peer why it is refused (ffmpeg and OBS print the description). */
  refuse(code: "NetStream.Publish.BadName" | "NetStream.Play.StreamNotFound", description: string): void {
    this.rtmp.sendStatusMessage(this.rtmp.streamId ?? 0, "error", code, description);
  }
}

function toMediaTag(packet: NmsAvPacket): MediaTag | null {
  const type = packet.codec_type as TTagType;
  // An empty message carries nothing to play, and NMS's chunker cannot re-send one.
  if (packet.size === 0) return null;
  if (type !== TAG_TYPE.audio && type !== TAG_TYPE.video && type !== TAG_TYPE.script) return null;
  // NMS hands us a view of its reusable parser buffer: copy the body out.
  const raw = Buffer.from(packet.data.subarray(0, packet.size));
  const body = type === TAG_TYPE.script ? unwrapSetDataFrame(raw) : raw;
  return { type, kind: classifyTag(type, body), timestamp: packet.dts >>> 0, body };
}
