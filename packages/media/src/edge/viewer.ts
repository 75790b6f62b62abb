import { timestampDelta } from "../flv/timestamp.ts";
import type { SharedTag, TWireFormat } from "./shared-tag.ts";

/** Where a viewer's bytes go: an HTTP response, a WebSocket, an RTMP socket, a packager's stdin. */
export type ViewerSink = {
  /** Writes the buffers as one batch (one system call where the transport allows it). */
  write(buffers: Buffer[]): void;
  /** Bytes accepted by `write` that the peer has not taken yet. */
  bufferedBytes(): number;
  close(reason: TViewerCloseReason): void;
};

/**
 * How a viewer is attached: "hls", "thumbnail" and "recording" are this node's own ffmpeg sidecars,
 * "relay" an edge node pulling the stream; none of them is a person.
 */
export type TViewerProtocol = "http-flv" | "ws-flv" | "rtmp" | "hls" | "thumbnail" | "relay" | "recording";
/** The protocols people watch on, as the stream API and metrics count them (HLS by playlist fetches). */
export type TAudienceProtocol = Exclude<TViewerProtocol, "thumbnail" | "relay" | "recording">;

/** A zero for every viewer protocol: the start of a count or a byte total. */
export function zeroByProtocol(): Record<TViewerProtocol, number> {
  return { "http-flv": 0, "ws-flv": 0, rtmp: 0, hls: 0, thumbnail: 0, relay: 0, recording: 0 };
}
export type TViewerCloseReason = "stream-ended" | "too-slow" | "server-closing";

export type ViewerLimits = {
  /** Bytes the transport may hold unsent before the viewer counts as behind. */
  maxBufferedBytes: number;
  /** Queued bytes, or queued media time, past which the viewer skips to the next keyframe. */
  maxQueueBytes: number;
  maxQueueMs: number;
  /** A viewer behind for this long is dropped. */
  maxBehindMs: number;
  /**
   * Past the queue's bounds: skip to the next keyframe (a person watching: live matters more than
   * every frame), or drop the viewer (a recorder: a recording with holes is worse than one that stops).
   */
  overflow?: "skip" | "drop";
};

export const DEFAULT_VIEWER_LIMITS: ViewerLimits = {
  maxBufferedBytes: 256 * 1024,
  maxQueueBytes: 4 * 1024 * 1024,
  maxQueueMs: 3_000,
  maxBehindMs: 10_000,
};

export type ViewerEvents = {
  /** What a viewer needs before its first keyframe: the FLV file header (once), metadata, sequence headers. */
  preamble(viewer: Viewer, withFileHeader: boolean): Buffer[];
  skippedToKeyframe(viewer: Viewer): void;
  dropped(viewer: Viewer): void;
};

/**
 * One playback session's bounded send queue. Tags are queued by reference and written in one batch
 * per fanout tick. A viewer whose transport stops draining stops being written to; once its queue
 * passes its bounds it skips to the next keyframe, and if it stays behind it is dropped, so a
 * viewer that stops reading never grows server memory.
 */
export class Viewer {
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private queueStartTimestamp: number | null = null;
  private isWaitingForKeyframe = true;
  private hasWrittenFileHeader = false;
  private behindSince: number | null = null;
  private isClosed = false;

  constructor(
    readonly protocol: TViewerProtocol,
    readonly format: TWireFormat,
    private readonly sink: ViewerSink,
    private readonly events: ViewerEvents,
    private readonly limits: ViewerLimits = DEFAULT_VIEWER_LIMITS,
  ) {}

  get queueBytes(): number {
    return this.queuedBytes;
  }

  /**
   * Queues a tag. A new viewer, or one that skipped, takes nothing until a keyframe, which it gets
   * after the stream's preamble. `isBacklog` marks the cached GOP a new viewer starts on.
   */
  enqueue(tag: SharedTag, { isBacklog = false } = {}): void {
    if (this.isClosed) return;
    if (this.isWaitingForKeyframe) {
      if (tag.kind !== "keyframe") return;
      this.isWaitingForKeyframe = false;
      for (const buffer of this.events.preamble(this, !this.hasWrittenFileHeader)) this.push(buffer);
    }
    this.push(tag[this.format]);
    this.queueStartTimestamp ??= tag.timestamp;
    const queuedMs = timestampDelta(tag.timestamp, this.queueStartTimestamp);
    // The cached GOP a viewer starts on is bounded by the GOP cache, however long the encoder's GOP.
    if (isBacklog) return;
    if (this.queuedBytes <= this.limits.maxQueueBytes && queuedMs <= this.limits.maxQueueMs) return;
    if (this.limits.overflow === "drop") this.drop();
    else this.skipToKeyframe();
  }

  /** Writes what is queued, unless the transport is still full; returns the bytes written. Once per tick. */
  flush(now: number): number {
    if (this.isClosed || this.queue.length === 0) return 0;
    if (this.sink.bufferedBytes() > this.limits.maxBufferedBytes) {
      this.behindSince ??= now;
      if (now - this.behindSince > this.limits.maxBehindMs) this.drop();
      return 0;
    }
    this.behindSince = null;
    const batch = this.queue;
    const bytes = this.queuedBytes;
    this.hasWrittenFileHeader = true;
    this.queue = [];
    this.queuedBytes = 0;
    this.queueStartTimestamp = null;
    this.sink.write(batch);
    return bytes;
  }

  close(reason: TViewerCloseReason): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.queue = [];
    this.queuedBytes = 0;
    this.sink.close(reason);
  }

  private push(buffer: Buffer): void {
    this.queue.push(buffer);
    this.queuedBytes += buffer.length;
  }

  private drop(): void {
    this.close("too-slow");
    this.events.dropped(this);
  }

  private skipToKeyframe(): void {
    this.queue = [];
    this.queuedBytes = 0;
    this.queueStartTimestamp = null;
    this.isWaitingForKeyframe = true;
    this.events.skippedToKeyframe(this);
  }
}
