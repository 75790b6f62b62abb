import { connect, type Socket } from "node:net";
import { randomBytes } from "node:crypto";
import { waitFor } from "./wait.ts";

const HANDSHAKE_BYTES = 1536;

type Amf0Value = string | number | boolean | null | { [key: string]: Amf0Value };

/** AMF0 encoding of the values RTMP commands use. */
export function amf0(...values: Amf0Value[]): Buffer {
  return Buffer.concat(values.map(encodeAmf0));
}

function encodeAmf0(value: Amf0Value): Buffer {
  if (value === null) return Buffer.from([0x05]);
  if (typeof value === "number") {
    const buffer = Buffer.alloc(9);
    buffer[0] = 0x00;
    buffer.writeDoubleBE(value, 1);
    return buffer;
  }
  if (typeof value === "boolean") return Buffer.from([0x01, value ? 1 : 0]);
  if (typeof value === "string") return Buffer.concat([Buffer.from([0x02]), amf0Utf8(value)]);
  const parts: Buffer[] = [Buffer.from([0x03])];
  for (const [key, item] of Object.entries(value)) parts.push(amf0Utf8(key), encodeAmf0(item));
  parts.push(Buffer.from([0x00, 0x00, 0x09]));
  return Buffer.concat(parts);
}

function amf0Utf8(text: string): Buffer {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length > 0xffff) throw new Error("AMF0 short strings hold at most 65535 bytes");
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

export type RtmpMessage = {
  csid?: number;
  timestamp?: number;
  type: number;
  streamId?: number;
  payload: Buffer;
};

/**
 * One RTMP message as chunks: a type-0 chunk, then type-3 chunks every `chunkSize` bytes. A timestamp
 * at or past 0xFFFFFF goes in the extended field of every chunk.
 */
export function rtmpChunks(
  { csid = 3, timestamp = 0, type, streamId = 0, payload }: RtmpMessage,
  chunkSize = 128,
): Buffer {
  const isExtended = timestamp >= 0xffffff;
  const extended = Buffer.alloc(isExtended ? 4 : 0);
  if (isExtended) extended.writeUInt32BE(timestamp >>> 0);
  const header = Buffer.alloc(12);
  header[0] = csid & 0x3f;
  header.writeUIntBE(isExtended ? 0xffffff : timestamp, 1, 3);
  header.writeUIntBE(payload.length, 4, 3);
  header[7] = type;
  header.writeUInt32LE(streamId, 8);
  const parts: Buffer[] = [header, extended];
  for (let offset = 0; offset < payload.length || offset === 0; offset += chunkSize) {
    if (offset > 0) parts.push(Buffer.from([0xc0 | (csid & 0x3f)]), extended);
    parts.push(payload.subarray(offset, offset + chunkSize));
    if (payload.length === 0) break;
  }
  return Buffer.concat(parts);
}

/** publish(name) on stream 1, as encoders send it after createStream. */
export function publishMessage(name: string): RtmpMessage {
  return { ...rtmpCommand("publish", 3, null, name, "live"), csid: 8, streamId: 1 };
}

/** An AMF0 command message (type 20). */
export function rtmpCommand(name: string, transactionId: number, ...args: Amf0Value[]): RtmpMessage {
  return { csid: 3, type: 20, payload: amf0(name, transactionId, ...args) };
}

/**
 * A hand-driven RTMP client for malformed input: raw bytes, a real handshake, chunks and commands. It
 * does not parse what the server sends; `received` holds it all, and `saw(text)` finds AMF strings in
 * it (the server sends whole messages in one chunk, so status codes are not split).
 */
export class RawRtmpClient {
  readonly socket: Socket;
  private readonly chunks: Buffer[] = [];
  receivedBytes = 0;
  isClosed = false;
  readonly closed: Promise<void>;
  readonly connected: Promise<void>;

  constructor(port: number, host = "127.0.0.1", localAddress?: string) {
    this.socket = connect({ port, host, localAddress });
    this.connected = new Promise((resolve, reject) => {
      this.socket.once("connect", () => resolve());
      this.socket.once("error", reject);
    });
    this.socket.on("error", () => {});
    this.socket.on("data", (data: Buffer) => {
      this.receivedBytes += data.length;
      if (this.receivedBytes < 4 * 1024 * 1024) this.chunks.push(data);
    });
    this.closed = new Promise((resolve) =>
      this.socket.once("close", () => {
        this.isClosed = true;
        resolve();
      }),
    );
  }

  get received(): Buffer {
    return Buffer.concat(this.chunks);
  }

  saw(text: string): boolean {
    return this.received.includes(Buffer.from(text, "utf8"));
  }

  write(bytes: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  send(message: RtmpMessage, chunkSize = 128): void {
    this.write(rtmpChunks(message, chunkSize));
  }

  /** C0+C1, waits for S0+S1+S2, then C2 (the simple handshake). */
  async handshake(): Promise<void> {
    await this.connected;
    this.write(Buffer.concat([Buffer.from([0x03]), Buffer.alloc(8), randomBytes(HANDSHAKE_BYTES - 8)]));
    await waitFor(() => this.receivedBytes >= 1 + 2 * HANDSHAKE_BYTES || this.isClosed, {
      timeoutMs: 5_000,
      intervalMs: 10,
      message: "S0S1S2",
    });
    if (this.isClosed) throw new Error("the server closed the connection during the handshake");
    const s1 = this.received.subarray(1, 1 + HANDSHAKE_BYTES);
    this.write(Buffer.from(s1));
  }

  /** connect(app), then createStream: ready for publish or play on stream 1. */
  async connectApp(port: number, app = "live"): Promise<void> {
    this.send(
      rtmpCommand("connect", 1, {
        app,
        type: "nonprivate",
        flashVer: "FMLE/3.0 (compatible; relaycast-test)",
        tcUrl: `rtmp://127.0.0.1:${port}/${app}`,
      }),
    );
    await this.waitFor("NetConnection.Connect.Success");
    this.send(rtmpCommand("createStream", 2, null));
    await waitFor(() => this.received.includes(Buffer.from("_result")) && this.countOf("_result") >= 2, {
      timeoutMs: 5_000,
      intervalMs: 10,
      message: "createStream result",
    });
  }

  publish(name: string): void {
    this.send(publishMessage(name));
  }

  play(name: string): void {
    this.send({ ...rtmpCommand("play", 3, null, name, -2000), csid: 8, streamId: 1 });
  }

  /** Waits until the server sent `text` (resolves) or closed without it (rejects). */
  async waitFor(text: string, timeoutMs = 5_000): Promise<void> {
    await waitFor(
      () => {
        if (this.saw(text)) return true;
        if (this.isClosed) throw new Error(`closed before the server sent ${text}`);
        return false;
      },
      { timeoutMs, intervalMs: 10, message: text },
    );
  }

  /** Waits until the server closes the connection; false if it is still open after `timeoutMs`. */
  async waitClosed(timeoutMs = 5_000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const result = await Promise.race([this.closed.then(() => true as const), timeout]);
    clearTimeout(timer);
    return result;
  }

  destroy(): void {
    this.socket.destroy();
  }

  private countOf(text: string): number {
    const received = this.received;
    const needle = Buffer.from(text);
    let count = 0;
    for (let at = received.indexOf(needle); at !== -1; at = received.indexOf(needle, at + 1)) count++;
    return count;
  }
}
