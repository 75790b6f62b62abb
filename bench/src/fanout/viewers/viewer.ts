import { connect, type Socket } from "node:net";
import type { PlaybackEvents } from "./playback-events.ts";

export type TPlayProtocol = "http-flv" | "ws-flv" | "rtmp";
export const PLAY_PROTOCOLS: readonly TPlayProtocol[] = ["http-flv", "ws-flv", "rtmp"];

export type PlayTarget = { host: string; httpPort: number; rtmpPort: number; channel: string };

/**
 * Every viewer of the process reads into this one buffer (`onread`): a read allocates nothing, and a
 * viewer that only counts bytes never copies them. Readers copy what they keep.
 */
const SHARED_READ_BUFFER = Buffer.alloc(64 * 1024);

/** Where sampled viewers log their frames' arrivals while recording, as flat (type, timestamp, arrival) triples. */
export class FrameArrivalLog {
  isRecording = false;
  frames: number[] = [];

  record(now: number, timestamp: number, type: number): void {
    if (this.isRecording) this.frames.push(type, timestamp, now);
  }
}

/**
 * One playback connection of the load generator. It counts the bytes it receives and reads the stream
 * only until the first keyframe, unless it is sampled: then it reads every tag's timestamp.
 */
export abstract class Viewer {
  openedAt = 0;
  firstByteAt: number | null = null;
  firstKeyframeAt: number | null = null;
  bytes = 0;
  failure: string | null = null;
  private socket: Socket | null = null;
  private isReading = true;

  /** What the protocol's stream readers report to. */
  protected readonly playback: PlaybackEvents = {
    keyframe: (now) => {
      if (this.firstKeyframeAt !== null) return;
      this.firstKeyframeAt = now;
      if (!this.arrivals) this.isReading = false;
    },
    frame: (now, timestamp, type) => this.arrivals?.record(now, timestamp, type),
    broken: (reason) => this.fail(reason),
  };

  constructor(
    readonly protocol: TPlayProtocol,
    protected readonly target: PlayTarget,
    private readonly arrivals: FrameArrivalLog | null,
  ) {}

  get isSampled(): boolean {
    return this.arrivals !== null;
  }

  get isPlaying(): boolean {
    return this.firstKeyframeAt !== null && this.failure === null;
  }

  open(): void {
    this.openedAt = Date.now();
    const socket = connect({
      host: this.target.host,
      port: this.port(),
      noDelay: true,
      onread: {
        buffer: SHARED_READ_BUFFER,
        callback: (bytes, buffer) => {
          this.received(buffer, bytes);
          return true;
        },
      },
    });
    this.socket = socket;
    socket.on("connect", () => this.connected());
    socket.on("error", (error: NodeJS.ErrnoException) => this.fail(error.code ?? error.message));
    socket.on("close", () => this.fail("closed by the server"));
  }

  close(): void {
    this.fail("closed by the benchmark");
  }

  /** The server port this protocol plays from. */
  protected abstract port(): number;
  /** Sends the play request. */
  protected abstract connected(): void;
  /** Reads received bytes; throws on bytes the protocol does not allow. */
  protected abstract read(chunk: Buffer, now: number): void;

  protected send(data: Buffer | string): void {
    this.socket?.write(data);
  }

  protected fail(reason: string): void {
    this.failure ??= reason;
    this.isReading = false;
    this.socket?.destroy();
  }

  private received(buffer: Uint8Array, length: number): void {
    const now = Date.now();
    this.bytes += length;
    this.firstByteAt ??= now;
    if (!this.isReading) return;
    try {
      this.read(Buffer.from(buffer.subarray(0, length)), now);
    } catch (error) {
      this.fail(error instanceof Error ? error.message : String(error));
    }
  }
}
