const MESSAGE_HEADER_BYTES = [11, 7, 3, 0] as const;
const EXTENDED_TIMESTAMP = 0xffffff;
const DEFAULT_CHUNK_SIZE = 128;
const TYPE_SET_CHUNK_SIZE = 1;
const MEDIA_TYPES = new Set([8, 9, 18]);
/** Bytes of a media message's body a player needs to tell headers and keyframes apart. */
const MEDIA_HEAD_BYTES = 2;

export type RtmpMessage = { type: number; timestamp: number; length: number; streamId: number };

export type RtmpMessageEvents = {
  /** A complete audio, video or data message: its header and the first bytes of its body. */
  media(message: RtmpMessage, head: Buffer): void;
  /** A complete control or command message with its body. */
  command(message: RtmpMessage, body: Buffer): void;
};

type ChunkStream = RtmpMessage & {
  delta: number;
  hasExtendedTimestamp: boolean;
  received: number;
  parts: Buffer[];
};

/**
 * Reassembles the RTMP chunk stream a server sends a player. Media bodies are not copied: only their
 * first bytes are kept, so a viewer can follow the stream cheaply.
 */
export class RtmpChunkDecoder {
  private chunkSize = DEFAULT_CHUNK_SIZE;
  private readonly streams = new Map<number, ChunkStream>();
  private readonly header = Buffer.alloc(18);
  private headerBytes = 0;
  private current: ChunkStream | null = null;
  /** Payload bytes left in the current chunk. */
  private chunkLeft = 0;

  constructor(private readonly events: RtmpMessageEvents) {}

  push(data: Buffer): void {
    let offset = 0;
    while (offset < data.length) {
      if (this.current) {
        offset = this.readPayload(data, offset);
        continue;
      }
      const needed = this.headerLength();
      const take = Math.min(needed - this.headerBytes, data.length - offset);
      data.copy(this.header, this.headerBytes, offset, offset + take);
      this.headerBytes += take;
      offset += take;
      if (this.headerBytes === this.headerLength()) this.startChunk();
    }
  }

  /** Header bytes needed so far: grows as the basic header, message header and timestamp are read. */
  private headerLength(): number {
    if (this.headerBytes === 0) return 1;
    const first = this.header[0]!;
    const basic = (first & 0x3f) === 0 ? 2 : (first & 0x3f) === 1 ? 3 : 1;
    const fmt = first >> 6;
    const withMessage = basic + MESSAGE_HEADER_BYTES[fmt as 0 | 1 | 2 | 3];
    if (this.headerBytes < withMessage) return withMessage;
    return withMessage + (this.hasExtendedTimestamp(fmt, basic) ? 4 : 0);
  }

  private hasExtendedTimestamp(fmt: number, basic: number): boolean {
    if (fmt === 3) return this.streams.get(this.chunkStreamId(basic))?.hasExtendedTimestamp ?? false;
    return this.header.readUIntBE(basic, 3) === EXTENDED_TIMESTAMP;
  }

  private chunkStreamId(basic: number): number {
    if (basic === 1) return this.header[0]! & 0x3f;
    if (basic === 2) return 64 + this.header[1]!;
    return 64 + this.header[1]! + this.header[2]! * 256;
  }

  private startChunk(): void {
    const first = this.header[0]!;
    const basic = (first & 0x3f) === 0 ? 2 : (first & 0x3f) === 1 ? 3 : 1;
    const fmt = first >> 6;
    const id = this.chunkStreamId(basic);
    let stream = this.streams.get(id);
    if (!stream) {
      stream = {
        type: 0,
        timestamp: 0,
        length: 0,
        streamId: 0,
        delta: 0,
        hasExtendedTimestamp: false,
        received: 0,
        parts: [],
      };
      this.streams.set(id, stream);
    }
    const at = basic;
    if (fmt < 3) {
      const field = this.header.readUIntBE(at, 3);
      stream.hasExtendedTimestamp = field === EXTENDED_TIMESTAMP;
      const extendedAt = at + MESSAGE_HEADER_BYTES[fmt as 0 | 1 | 2];
      const value = stream.hasExtendedTimestamp ? this.header.readUInt32BE(extendedAt) : field;
      if (fmt < 2) {
        stream.length = this.header.readUIntBE(at + 3, 3);
        stream.type = this.header[at + 6]!;
      }
      if (fmt === 0) stream.streamId = this.header.readUInt32LE(at + 7);
      stream.received = 0;
      stream.parts = [];
      if (fmt === 0) {
        stream.timestamp = value;
        stream.delta = 0;
      } else {
        stream.delta = value;
        stream.timestamp += value;
      }
    } else if (stream.received === 0) {
      // A type-3 chunk that starts a message repeats the previous message's header and delta.
      stream.timestamp += stream.delta;
    }
    this.headerBytes = 0;
    this.current = stream;
    this.chunkLeft = Math.min(this.chunkSize, stream.length - stream.received);
    if (this.chunkLeft === 0) this.finishMessage(stream);
  }

  private readPayload(data: Buffer, offset: number): number {
    const stream = this.current!;
    const take = Math.min(this.chunkLeft, data.length - offset);
    const isMedia = MEDIA_TYPES.has(stream.type);
    if (!isMedia) stream.parts.push(data.subarray(offset, offset + take));
    else if (stream.received < MEDIA_HEAD_BYTES)
      stream.parts.push(data.subarray(offset, offset + Math.min(take, MEDIA_HEAD_BYTES - stream.received)));
    stream.received += take;
    this.chunkLeft -= take;
    if (stream.received === stream.length) this.finishMessage(stream);
    else if (this.chunkLeft === 0) this.current = null;
    return offset + take;
  }

  private finishMessage(stream: ChunkStream): void {
    this.current = null;
    const body = stream.parts.length === 1 ? stream.parts[0]! : Buffer.concat(stream.parts);
    const message: RtmpMessage = {
      type: stream.type,
      timestamp: stream.timestamp,
      length: stream.length,
      streamId: stream.streamId,
    };
    stream.parts = [];
    stream.received = 0;
    if (message.type === TYPE_SET_CHUNK_SIZE && body.length >= 4)
      this.chunkSize = body.readUInt32BE(0) & 0x7fffffff;
    if (MEDIA_TYPES.has(message.type)) this.events.media(message, body);
    else this.events.command(message, body);
  }
}
