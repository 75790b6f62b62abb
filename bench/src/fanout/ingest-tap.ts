import { connect, createServer, type Server, type Socket } from "node:net";
import { classifyTag, type TTagType } from "@relaycast/media/flv";
import { listen } from "../shared/listen.ts";
import { RtmpChunkDecoder } from "./viewers/rtmp-chunk-decoder.ts";

/** C0, C1 and C2 of the publisher's handshake, forwarded before its chunk stream starts. */
const PUBLISHER_HANDSHAKE_BYTES = 1 + 1536 + 1536;

/**
 * A TCP relay between the publisher and the media node's RTMP port that notes when each of the
 * publisher's frames arrived, so a viewer's arrival time can be compared with the server's input.
 */
export class IngestTap {
  private readonly server: Server;
  private readonly arrivals = new Map<number, number>();
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly upstreamPort: number) {
    this.server = createServer((publisher) => this.relay(publisher));
  }

  static async start(upstreamPort: number): Promise<IngestTap> {
    const tap = new IngestTap(upstreamPort);
    await listen(tap.server, "127.0.0.1", 0);
    return tap;
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === "object" && address ? address.port : 0;
  }

  /** When the frame of this tag type and timestamp reached the relay, if it did. */
  arrivalOf(type: number, timestamp: number): number | undefined {
    return this.arrivals.get(frameKey(type, timestamp));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(publisher: Socket): void {
    const upstream = connect({ host: "127.0.0.1", port: this.upstreamPort, noDelay: true });
    publisher.setNoDelay(true);
    for (const socket of [publisher, upstream]) {
      this.sockets.add(socket);
      socket.on("error", () => {
        publisher.destroy();
        upstream.destroy();
      });
      socket.on("close", () => this.sockets.delete(socket));
    }
    publisher.pipe(upstream);
    upstream.pipe(publisher);
    let handshakeLeft = PUBLISHER_HANDSHAKE_BYTES;
    let arrivedAt = 0;
    const decoder = new RtmpChunkDecoder({
      media: (message, head) => {
        const kind = classifyTag(message.type as TTagType, head);
        if (kind !== "keyframe" && kind !== "interframe" && kind !== "audio") return;
        const key = frameKey(message.type, message.timestamp);
        if (!this.arrivals.has(key)) this.arrivals.set(key, arrivedAt);
      },
      command: () => {},
    });
    publisher.on("data", (chunk: Buffer) => {
      arrivedAt = Date.now();
      if (handshakeLeft > 0) {
        const skipped = Math.min(handshakeLeft, chunk.length);
        handshakeLeft -= skipped;
        chunk = chunk.subarray(skipped);
      }
      if (chunk.length > 0) decoder.push(chunk);
    });
  }
}

function frameKey(type: number, timestamp: number): number {
  return timestamp * 32 + type;
}
