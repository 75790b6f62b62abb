const OPCODE_CONTINUATION = 0x0;
const OPCODE_BINARY = 0x2;
const OPCODE_CLOSE = 0x8;

export type WsFrameEvents = {
  /** A piece of a binary message's payload (views of the input, no copies). */
  data(piece: Buffer): void;
  close(): void;
};

/** Decodes the unmasked frames a WebSocket server sends; control frames other than close are skipped. */
export class WsFrameDecoder {
  private readonly header = Buffer.alloc(10);
  private headerBytes = 0;
  private left = 0;
  private isPayload = false;
  private isData = false;

  constructor(private readonly events: WsFrameEvents) {}

  /** Throws on a frame a server must not send (masked). */
  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.isPayload) {
        const take = Math.min(this.left, chunk.length - offset);
        if (this.isData) this.events.data(chunk.subarray(offset, offset + take));
        offset += take;
        this.left -= take;
        if (this.left === 0) this.isPayload = false;
        continue;
      }
      const needed = this.headerLength();
      const take = Math.min(needed - this.headerBytes, chunk.length - offset);
      chunk.copy(this.header, this.headerBytes, offset, offset + take);
      this.headerBytes += take;
      offset += take;
      if (this.headerBytes === this.headerLength()) this.startPayload();
    }
  }

  private headerLength(): number {
    if (this.headerBytes < 2) return 2;
    const length = this.header[1]! & 0x7f;
    return length === 126 ? 4 : length === 127 ? 10 : 2;
  }

  private startPayload(): void {
    if (this.header[1]! & 0x80) throw new Error("ws: masked frame from the server");
    const opcode = this.header[0]! & 0x0f;
    const length7 = this.header[1]! & 0x7f;
    this.left =
      length7 === 126
        ? this.header.readUInt16BE(2)
        : length7 === 127
          ? Number(this.header.readBigUInt64BE(2))
          : length7;
    this.headerBytes = 0;
    if (opcode === OPCODE_CLOSE) return this.events.close();
    this.isData = opcode === OPCODE_BINARY || opcode === OPCODE_CONTINUATION;
    this.isPayload = this.left > 0;
  }
}
